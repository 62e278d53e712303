// Parse-only checker with Jenkins' Groovy (2.4.21): lexes, parses and converts to an AST; nothing runs.
// Usage: parse [--literals] FILE...   One JSON line per file: {file, ok, errors[, literals]}.
// --literals lists the value of every string constant in the AST, in source order, so tests can prove
// that each emitted literal holds exactly the input text.
import org.codehaus.groovy.ast.*
import org.codehaus.groovy.ast.expr.*
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

boolean withLiterals = args.length > 0 && args[0] == '--literals'
def files = withLiterals ? args.drop(1) : args
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
    println groovy.json.JsonOutput.toJson(out)
}
System.exit(bad ? 1 : 0)
