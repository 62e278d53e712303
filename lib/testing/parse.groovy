// Parse-only checker with Jenkins' Groovy (2.4.21): lexes, parses and converts to an AST; nothing runs.
// Usage: parse [--literals|--tree] FILE...   One JSON line per file: {file, ok, errors[, literals|tree]}.
// --literals lists the value of every string constant in the AST, in source order, so tests can prove
// that each emitted literal holds exactly the input text.
// --tree gives the script as a call tree: each method call with its name, its literal arguments and the call
// trees of its closure arguments as children, so tests can read a Jenkinsfile back without running it.
import org.codehaus.groovy.ast.*
import org.codehaus.groovy.ast.expr.*
import org.codehaus.groovy.ast.stmt.*
import org.codehaus.groovy.control.*
import org.codehaus.groovy.control.messages.*
import org.codehaus.groovy.syntax.SyntaxException

class Literals extends CodeVisitorSupport {
    List<String> values = []
    void visitConstantExpression(ConstantExpression e) {
        if (e.value instanceof String) values << (String) e.value
        super.visitConstantExpression(e)
    }
    // Method names are constants too; skip them so only literal arguments are listed.
    void visitMethodCallExpression(MethodCallExpression call) {
        call.objectExpression.visit(this)
        call.arguments.visit(this)
    }
}

// Literals stay values; a named-argument map becomes `named`; a closure argument becomes `children`; calls used
// as values become {call}; assignments become calls named '='; anything else is {expr: source-like text}.
class CallTree {
    static Object arg(Expression e) {
        if (e instanceof ConstantExpression) return e.value
        if (e instanceof ListExpression) return e.expressions.collect { arg(it) }
        if (e instanceof MapExpression) return map(e)
        if (e instanceof MethodCallExpression) return [call: call(e)]
        if (e instanceof ClosureExpression) return [children: block(e.code)]
        if (e instanceof GStringExpression) return [gstring: e.text]
        if (e instanceof UnaryMinusExpression && e.expression instanceof ConstantExpression) return -e.expression.value
        return [expr: e.text]
    }
    static Map map(MapExpression m) {
        def out = [:]
        m.mapEntryExpressions.each { me ->
            def k = me.keyExpression instanceof ConstantExpression ? String.valueOf(me.keyExpression.value) : me.keyExpression.text
            out[k] = arg(me.valueExpression)
        }
        out
    }
    static Map call(MethodCallExpression c) {
        def out = [name: c.methodAsString ?: c.method.text]
        if (!c.implicitThis) out.object = c.objectExpression.text
        def args = []
        def list = c.arguments instanceof TupleExpression ? c.arguments.expressions : [c.arguments]
        list.each { a ->
            // Named arguments, and a leading map before a closure (`container(name: 'x') { }`): Groovy passes both as
            // the first Map parameter, so both are `named`.
            if (a instanceof MapExpression && out.named == null && args.isEmpty()) out.named = map(a)
            else if (a instanceof ClosureExpression) out.children = block(a.code)
            else args << arg(a)
        }
        out.args = args
        out
    }
    static List block(Statement s) {
        def stmts = s instanceof BlockStatement ? s.statements : [s]
        stmts.collectMany { Statement st -> st instanceof BlockStatement ? block(st) : [statement(st)] }
    }
    static Map statement(Statement st) {
        Expression e = null
        if (st instanceof ExpressionStatement) e = ((ExpressionStatement) st).expression
        else if (st instanceof ReturnStatement) e = ((ReturnStatement) st).expression
        if (e instanceof MethodCallExpression) return call(e)
        // `def x = …` (a declaration) and `x = …` (an assignment, e.g. in environment {}).
        if (e instanceof DeclarationExpression) return [name: 'def', args: [e.leftExpression.text, arg(e.rightExpression)]]
        if (e instanceof BinaryExpression && e.operation.text == '=') return [name: '=', args: [e.leftExpression.text, arg(e.rightExpression)]]
        if (e != null) return [name: '<expr>', args: [[expr: e.text]]]
        if (st instanceof ForStatement) {
            return [name: 'for', args: [st.variable.name, arg(st.collectionExpression)], children: block(st.loopBlock)]
        }
        if (st instanceof IfStatement) {
            def out = [name: 'if', args: [[expr: st.booleanExpression.expression.text]], children: block(st.ifBlock)]
            if (!(st.elseBlock instanceof EmptyStatement)) out.else = block(st.elseBlock)
            return out
        }
        if (st instanceof TryCatchStatement) {
            def out = [name: 'try', args: [], children: block(st.tryStatement)]
            out.catches = st.catchStatements.collect { c -> [variable: c.variable.name, children: block(c.code)] }
            if (!(st.finallyStatement instanceof EmptyStatement)) out.finally = block(st.finallyStatement)
            return out
        }
        return [name: '<stmt>', args: [[expr: st.text]]]
    }
}

boolean withLiterals = args.length > 0 && args[0] == '--literals'
boolean withTree = args.length > 0 && args[0] == '--tree'
def files = (withLiterals || withTree) ? args.drop(1) : args
int bad = 0
files.each { path ->
    def cu = new CompilationUnit(CompilerConfiguration.DEFAULT)
    def su = cu.addSource(new File(path))
    def errs = []
    try { cu.compile(Phases.CONVERSION) }
    catch (MultipleCompilationErrorsException e) {
        e.errorCollector.errors.each { m ->
            if (m instanceof SyntaxErrorMessage) { SyntaxException c = m.cause
                errs << [line: c.line, column: c.startColumn, message: c.originalMessage] }
            else errs << [line: 0, column: 0, message: m.toString()]
        }
    }
    if (errs) bad++
    def out = [file: path, ok: errs.isEmpty(), errors: errs]
    if (withLiterals && errs.isEmpty()) {
        def v = new Literals()
        su.AST.statementBlock.visit(v)
        out.literals = v.values
    }
    if (withTree && errs.isEmpty()) {
        out.tree = CallTree.block(su.AST.statementBlock)
        // Helper functions (`def f(a) { … }`) and script annotations (`@Library('x') _`), for hybrid Jenkinsfiles.
        out.methods = su.AST.methods.collect { m -> [name: m.name, params: m.parameters*.name, children: CallTree.block(m.code)] }
        out.annotations = []
        su.AST.statementBlock.statements.each { st ->
            if (st instanceof ExpressionStatement && st.expression instanceof DeclarationExpression) {
                st.expression.annotations.each { a -> out.annotations << [name: a.classNode.name, value: CallTree.arg(a.getMember('value'))] }
            }
        }
    }
    println groovy.json.JsonOutput.toJson(out)
}
System.exit(bad ? 1 : 0)
