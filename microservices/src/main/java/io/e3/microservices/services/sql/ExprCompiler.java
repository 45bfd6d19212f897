package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Select;

import java.util.Set;

/**
 * Compiles JSqlParser expressions over one table into {@link Expr} trees, resolving columns to row indexes and
 * numbering the {@code ?} parameters. AND, OR, NOT and IN go through {@link Connectives}.
 */
final class ExprCompiler {

    /** Deeper expressions are refused: evaluation recurses, and the thread stack is finite. */
    static final int MAX_DEPTH = 200;
    /** The most {@code ?} parameters a statement may have. */
    static final int MAX_PARAMETERS = 4096;

    private final TableSchema schema;
    private final Set<String> qualifiers;
    private final boolean incoming;
    private int parameters;

    /**
     * @param alias    the table's alias, or null
     * @param incoming whether {@code VALUES(c)} may name the row an INSERT ... ON DUPLICATE KEY UPDATE tried to add;
     *                 it evaluates to index {@code schema.size() + c}
     */
    ExprCompiler(TableSchema schema, String alias, boolean incoming) {
        this.schema = schema;
        this.qualifiers = alias == null || alias.equals(schema.name()) ? Set.of(schema.name())
                : Set.of(schema.name(), alias);
        this.incoming = incoming;
    }

    TableSchema schema() {
        return schema;
    }

    /** How many parameters the expressions compiled so far need: the highest {@code ?} number. */
    int parameters() {
        return parameters;
    }

    void noteParameters(int count) {
        parameters = Math.max(parameters, count);
    }

    Expr compile(Expression e) throws InvalidRequestException {
        return compile(e, 0);
    }

    Expr compile(Expression e, int depth) throws InvalidRequestException {
        if (depth > MAX_DEPTH) {
            throw SqlErrors.error("expression nested deeper than " + MAX_DEPTH + " levels");
        }
        if (e instanceof AndExpression || e instanceof OrExpression || e instanceof NotExpression
                || e instanceof InExpression || e instanceof XorExpression) {
            return Connectives.compile(e, this, depth);
        }
        if (e instanceof ParenthesedExpressionList<?> list) {
            if (list.size() != 1) {
                throw SqlErrors.unsupported("a row value " + e);
            }
            return compile(list.get(0), depth + 1);
        }
        if (e instanceof Column c) {
            return column(c);
        }
        if (e instanceof JdbcParameter p) {
            if (p.getIndex() == null || p.getIndex() < 1 || p.getIndex() > MAX_PARAMETERS) {
                throw SqlErrors.error("parameter " + p + " must be numbered in [1, " + MAX_PARAMETERS + "]");
            }
            noteParameters(p.getIndex());
            return new Expr.Param(p.getIndex() - 1);
        }
        Expr literal = literal(e);
        if (literal != null) {
            return literal;
        }
        if (e instanceof SignedExpression s) {
            return signed(s, depth);
        }
        Expr operator = operator(e, depth);
        if (operator != null) {
            return operator;
        }
        return special(e, depth);
    }

    /** Checks that {@code table}, qualifying {@code where}, names this statement's table or its alias. */
    void checkQualifier(net.sf.jsqlparser.schema.Table table, Object where) throws InvalidRequestException {
        if (table != null && table.getName() != null) {
            String qualifier = Names.table(table);
            if (!qualifiers.contains(qualifier)) {
                throw SqlErrors.error("unknown table " + qualifier + " in " + where);
            }
        }
    }

    private Expr column(Column c) throws InvalidRequestException {
        checkQualifier(c.getTable(), c);
        int i = schema.require(Names.identifier(c.getColumnName(), "column"));
        return new Expr.ColumnRef(i, schema.column(i).type().sqlType);
    }

    private static Expr literal(Expression e) throws InvalidRequestException {
        if (e instanceof LongValue v) {
            try {
                return new Expr.Const(Long.parseLong(v.getStringValue()));
            } catch (NumberFormatException x) {
                throw SqlErrors.error("integer literal " + v.getStringValue() + " is out of range for BIGINT");
            }
        }
        if (e instanceof DoubleValue v) {
            if (!Double.isFinite(v.getValue())) {
                throw SqlErrors.error("number literal " + v + " is out of range for DOUBLE");
            }
            return new Expr.Const(v.getValue());
        }
        if (e instanceof StringValue v) {
            if (v.getPrefix() != null) {
                throw SqlErrors.unsupported("a prefixed string literal " + v);
            }
            return new Expr.Const(v.getNotExcapedValue());
        }
        if (e instanceof NullValue) {
            return new Expr.Const(null);
        }
        return e instanceof BooleanValue b ? new Expr.Const(b.getValue()) : null;
    }

    private Expr signed(SignedExpression s, int depth) throws InvalidRequestException {
        if (s.getSign() == '-' && s.getExpression() instanceof LongValue v
                && v.getStringValue().equals("9223372036854775808")) {
            return new Expr.Const(Long.MIN_VALUE); // -2^63 has no positive literal to negate
        }
        Expr operand = compile(s.getExpression(), depth + 1);
        return switch (s.getSign()) {
            case '-' -> new Expr.Negate(operand, s.toString());
            case '+' -> new Expr.Arithmetic('+', new Expr.Const(0L), operand, s.toString());
            default -> throw SqlErrors.unsupported("the operator " + s.getSign() + " in " + s);
        };
    }

    /** Arithmetic and comparison operators, or null for any other expression. */
    private Expr operator(Expression e, int depth) throws InvalidRequestException {
        if (!(e instanceof BinaryExpression b)) {
            return null;
        }
        char op = e instanceof Addition ? '+' : e instanceof Subtraction ? '-' : e instanceof Multiplication ? '*'
                : e instanceof Division ? '/' : e instanceof Modulo ? '%' : 0;
        Expr.Comparison c = e instanceof EqualsTo ? Expr.Comparison.EQ : e instanceof NotEqualsTo ? Expr.Comparison.NE
                : e instanceof MinorThan ? Expr.Comparison.LT : e instanceof MinorThanEquals ? Expr.Comparison.LE
                : e instanceof GreaterThan ? Expr.Comparison.GT : e instanceof GreaterThanEquals
                ? Expr.Comparison.GE : null;
        if (op == 0 && c == null) {
            return null;
        }
        Expr left = compile(b.getLeftExpression(), depth + 1);
        Expr right = compile(b.getRightExpression(), depth + 1);
        return op != 0 ? new Expr.Arithmetic(op, left, right, e.toString()) : new Expr.Compare(c, left, right,
                e.toString());
    }

    private Expr special(Expression e, int depth) throws InvalidRequestException {
        if (e instanceof IsNullExpression n) {
            return new Expr.IsNull(compile(n.getLeftExpression(), depth + 1), n.isNot());
        }
        if (e instanceof Between b) {
            return new Predicates.Between(compile(b.getLeftExpression(), depth + 1),
                    compile(b.getBetweenExpressionStart(), depth + 1), compile(b.getBetweenExpressionEnd(), depth + 1),
                    b.isNot(), e.toString());
        }
        if (e instanceof LikeExpression l) {
            if (l.getLikeKeyWord() != LikeExpression.KeyWord.LIKE || l.getEscape() != null || l.isUseBinary()) {
                throw SqlErrors.unsupported(l.getLikeKeyWord() + (l.getEscape() != null ? " ... ESCAPE" : "")
                        + " (only plain LIKE is)");
            }
            return new Predicates.Like(compile(l.getLeftExpression(), depth + 1),
                    compile(l.getRightExpression(), depth + 1), l.isNot(), e.toString());
        }
        if (e instanceof Function f && incoming && "VALUES".equalsIgnoreCase(f.getName()) && f.getParameters() != null
                && f.getParameters().size() == 1 && f.getParameters().get(0) instanceof Column c) {
            int i = schema.require(Names.identifier(c.getColumnName(), "column"));
            return new Expr.ColumnRef(schema.size() + i, schema.column(i).type().sqlType);
        }
        if (e instanceof Function f) {
            throw SqlErrors.unsupported("the function " + f.getName() + (f.getName().equalsIgnoreCase("COUNT")
                    ? " here (only SELECT COUNT(*) is)" : ""));
        }
        if (e instanceof Select || e instanceof ExistsExpression) {
            throw SqlErrors.unsupported("a subquery (" + e + ")");
        }
        if (e instanceof JdbcNamedParameter) {
            throw SqlErrors.unsupported("the named parameter " + e + "; use ?");
        }
        throw SqlErrors.unsupported("the expression " + e + " (" + e.getClass().getSimpleName() + ")");
    }
}
