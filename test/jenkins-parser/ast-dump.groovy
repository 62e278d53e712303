// Dumps Groovy 2.4's own AST (parsed to CONVERSION; nothing runs) in the normalised JSON shape that
// normalise.ts gives slipway's parser tree, so the two can be compared node by node.
// Usage: AstDump FILE...   One JSON line per file: {file, ok, errors, ast}.
import org.codehaus.groovy.ast.*
import org.codehaus.groovy.ast.expr.*
import org.codehaus.groovy.ast.stmt.*
import org.codehaus.groovy.control.*
import org.codehaus.groovy.control.messages.*
import org.codehaus.groovy.syntax.SyntaxException

class Dump {
    static List stmts(Statement s) {
        if (s == null || s instanceof EmptyStatement) return []
        if (s instanceof BlockStatement) return s.statements.collectMany { stmts(it) }
        return [stmt(s)]
    }
    static Object stmt(Statement s) {
        if (s instanceof ExpressionStatement) {
            def e = s.expression
            if (e instanceof DeclarationExpression) return decl(e)
            return expr(e)
        }
        if (s instanceof IfStatement) return [if: expr(s.booleanExpression), then: stmts(s.ifBlock), else: stmts(s.elseBlock)]
        if (s instanceof ForStatement) {
            if (s.collectionExpression instanceof ClosureListExpression) {
                return [forc: s.collectionExpression.expressions.collect { it instanceof DeclarationExpression ? decl(it) : expr(it) }, body: stmts(s.loopBlock)]
            }
            return [for: s.variable.name, in: expr(s.collectionExpression), body: stmts(s.loopBlock)]
        }
        if (s instanceof WhileStatement) return [while: expr(s.booleanExpression), body: stmts(s.loopBlock)]
        if (s instanceof TryCatchStatement) return [try: stmts(s.tryStatement), catch: s.catchStatements.collect { [var: it.variable.name, body: stmts(it.code)] }, finally: stmts(s.finallyStatement)]
        if (s instanceof SwitchStatement) return [switch: expr(s.expression), cases: s.caseStatements.collect { [value: expr(it.expression), body: stmts(it.code)] }, default: stmts(s.defaultStatement)]
        if (s instanceof ReturnStatement) return [return: expr(s.expression)]
        if (s instanceof ThrowStatement) return [throw: expr(s.expression)]
        if (s instanceof AssertStatement) return [assert: expr(s.booleanExpression), msg: expr(s.messageExpression)]
        if (s instanceof BreakStatement) return [break: true]
        if (s instanceof ContinueStatement) return [continue: true]
        return [unknown: s.class.simpleName]
    }
    static Map decl(DeclarationExpression d) {
        def out = [decl: d.leftExpression.text, value: d.rightExpression instanceof EmptyExpression ? null : expr(d.rightExpression)]
        if (d.annotations) out.ann = d.annotations.collect { ann(it) }
        out
    }
    static Map ann(AnnotationNode a) {
        [name: a.classNode.name, members: a.members.collectEntries { k, v -> [k, expr(v)] }]
    }
    static List args(Expression a) {
        def list = a instanceof TupleExpression ? a.expressions : [a]
        list.collect { expr(it) }
    }
    static Object expr(Expression e) {
        if (e == null || e instanceof EmptyExpression) return null
        if (e instanceof NotExpression) return [not: expr(e.expression)]
        if (e instanceof BooleanExpression) return expr(e.expression)
        if (e instanceof ConstantExpression) {
            def v = e.value
            if (v instanceof String) return [s: v]
            if (v instanceof Number) return [n: v]
            return [c: v]
        }
        if (e instanceof GStringExpression) {
            def parts = []
            int n = Math.max(e.strings.size(), e.values.size())
            for (int i = 0; i < n; i++) {
                if (i < e.strings.size() && e.strings[i].value != '') parts << [s: e.strings[i].value]
                if (i < e.values.size()) parts << expr(e.values[i])
            }
            return [g: parts]
        }
        if (e instanceof VariableExpression) return [v: e.name]
        if (e instanceof AttributeExpression) return [p: e.propertyAsString, o: expr(e.objectExpression), op: '.@']
        if (e instanceof PropertyExpression) return [p: e.propertyAsString, o: expr(e.objectExpression), op: e.spreadSafe ? '*.' : e.safe ? '?.' : '.']
        if (e instanceof MethodCallExpression) {
            return [m: e.methodAsString, o: e.implicitThis ? null : expr(e.objectExpression), op: e.spreadSafe ? '*.' : e.safe ? '?.' : '.', a: args(e.arguments)]
        }
        if (e instanceof ConstructorCallExpression) return [new: e.type.name, a: args(e.arguments)]
        if (e instanceof ListExpression) return [l: e.expressions.collect { expr(it) }]
        if (e instanceof MapExpression) return [map: e.mapEntryExpressions.collect { [expr(it.keyExpression), expr(it.valueExpression)] }]
        if (e instanceof ClosureExpression) {
            return [cl: e.parameterSpecified ? e.parameters.collect { it.name } : null, b: stmts(e.code)]
        }
        if (e instanceof BinaryExpression) return [b: e.operation.text, l: expr(e.leftExpression), r: expr(e.rightExpression)]
        if (e instanceof ElvisOperatorExpression) return [elvis: [expr(e.trueExpression), expr(e.falseExpression)]]
        if (e instanceof TernaryExpression) return [t: [expr(e.booleanExpression), expr(e.trueExpression), expr(e.falseExpression)]]
        if (e instanceof NotExpression) return [not: expr(e.expression)]
        if (e instanceof UnaryMinusExpression) return [neg: expr(e.expression)]
        if (e instanceof UnaryPlusExpression) return [pos: expr(e.expression)]
        if (e instanceof BitwiseNegationExpression) return [bnot: expr(e.expression)]
        if (e instanceof PrefixExpression) return [pre: e.operation.text, e: expr(e.expression)]
        if (e instanceof PostfixExpression) return [post: e.operation.text, e: expr(e.expression)]
        if (e instanceof CastExpression) return [as: e.type.name, e: expr(e.expression)]
        if (e instanceof ClassExpression) return [class: e.type.name]
        if (e instanceof RangeExpression) return [range: [expr(e.from), expr(e.to)], incl: e.inclusive]
        if (e instanceof MethodPointerExpression) return [mref: expr(e.methodName)?.s, o: expr(e.expression)]
        if (e instanceof SpreadExpression) return [spread: expr(e.expression)]
        return [unknown: e.class.simpleName, text: e.text]
    }
    static Map module(ModuleNode m) {
        def imports = []
        m.imports.each { imports << (it.alias == it.type.nameWithoutPackage ? it.className : "${it.className} as ${it.alias}".toString()) }
        m.starImports.each { imports << "${it.packageName}*".toString() }
        m.staticImports.each { k, v -> imports << "static ${v.className}.${v.fieldName}".toString() }
        m.staticStarImports.each { k, v -> imports << "static ${v.className}.*".toString() }
        def methods = m.methods.collect { mn -> [method: mn.name, params: mn.parameters.collect { p -> [name: p.name, value: p.hasInitialExpression() ? expr(p.initialExpression) : null] }, body: stmts(mn.code)] }
        def annotated = (m.imports + m.starImports + m.staticImports.values() + m.staticStarImports.values()).collectMany { it.annotations.collect { a -> a.classNode.nameWithoutPackage } }
        [imports: imports.sort(), importAnnotations: annotated.sort(), methods: methods, body: stmts(m.statementBlock)]
    }
}

args.each { path ->
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
    def out = [file: path, ok: errs.isEmpty(), errors: errs]
    if (errs.isEmpty()) out.ast = Dump.module(su.AST)
    println groovy.json.JsonOutput.toJson(out)
}
