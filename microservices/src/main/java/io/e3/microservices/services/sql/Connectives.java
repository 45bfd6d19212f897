package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.statement.select.Select;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Compiles AND, OR, NOT and IN by flattening them back to the order they were written in, then regrouping with SQL
 * precedence (NOT, then AND, then OR).
 *
 * <p>Why not take JSqlParser's tree as it is: version 5.3 parses {@code a IN (1, 2) AND b = 3} as
 * {@code a IN ((1, 2) AND b = 3)}, swallowing everything after an IN list into the list (JSqlParser issues #2244,
 * #2282, #2356; fixed after 5.3). Flattening an IN whose list is an AND/OR chain puts {@code a IN (1, 2)} back as the
 * first operand of that chain, and regrouping restores the outer structure (for {@code x AND a IN (1) OR y} the broken
 * tree is {@code x AND (a IN ((1) OR y))}; flattened and regrouped it is {@code (x AND a IN (1)) OR y}). On a tree the
 * parser got right, flattening and regrouping give the same tree back.
 */
final class Connectives {

    private enum Token { AND, OR, NOT }

    private final ExprCompiler compiler;
    private final int depth;
    private final List<Object> sequence = new ArrayList<>();
    private int next;

    private Connectives(ExprCompiler compiler, int depth) {
        this.compiler = compiler;
        this.depth = depth;
    }

    static Expr compile(Expression e, ExprCompiler compiler, int depth) throws InvalidRequestException {
        Connectives c = new Connectives(compiler, depth);
        c.flatten(e, c.sequence, depth);
        return c.or(e.toString());
    }

    /** Appends {@code e} as operands (expressions) and operators (tokens) in written order. */
    private void flatten(Expression e, List<Object> out, int level) throws InvalidRequestException {
        if (level > ExprCompiler.MAX_DEPTH) {
            throw SqlErrors.error("expression nested deeper than " + ExprCompiler.MAX_DEPTH + " levels");
        }
        if (e instanceof XorExpression) {
            throw SqlErrors.unsupported("XOR");
        }
        if (e instanceof AndExpression || e instanceof OrExpression) {
            // Chains lean left (a AND b AND c = (a AND b) AND c): walk the left spine in a loop, not by recursion.
            Deque<Object> rights = new ArrayDeque<>();
            Expression left = e;
            while (left instanceof AndExpression || left instanceof OrExpression) {
                BinaryExpression b = (BinaryExpression) left;
                rights.push(b.getRightExpression());
                rights.push(left instanceof AndExpression ? Token.AND : Token.OR);
                left = b.getLeftExpression();
            }
            flatten(left, out, level + 1);
            while (!rights.isEmpty()) {
                out.add(rights.pop());
                flatten((Expression) rights.pop(), out, level + 1);
            }
        } else if (e instanceof NotExpression n) {
            out.add(Token.NOT);
            flatten(n.getExpression(), out, level + 1);
        } else if (e instanceof InExpression in && swallowed(in)) {
            List<Object> swallowed = new ArrayList<>();
            flatten(in.getRightExpression(), swallowed, level + 1);
            if (!(swallowed.get(0) instanceof Expression list)) {
                throw SqlErrors.error("cannot read " + in + "; put the IN predicate in parentheses");
            }
            InExpression repaired = new InExpression(in.getLeftExpression(), list);
            repaired.setNot(in.isNot());
            swallowed.set(0, repaired);
            out.addAll(swallowed);
        } else {
            out.add(e);
        }
    }

    /** Whether JSqlParser put the rest of a condition inside this IN's list (see the class comment). */
    private static boolean swallowed(InExpression in) {
        Expression right = in.getRightExpression();
        return right instanceof AndExpression || right instanceof OrExpression || right instanceof XorExpression;
    }

    private Expr or(String text) throws InvalidRequestException {
        List<Expr> operands = new ArrayList<>();
        operands.add(and(text));
        while (accept(Token.OR)) {
            operands.add(and(text));
        }
        if (next != sequence.size()) {
            throw SqlErrors.error("cannot read " + text);
        }
        return operands.size() == 1 ? operands.get(0) : new Expr.Logic(false, operands, text);
    }

    private Expr and(String text) throws InvalidRequestException {
        List<Expr> operands = new ArrayList<>();
        operands.add(unary(text));
        while (accept(Token.AND)) {
            operands.add(unary(text));
        }
        return operands.size() == 1 ? operands.get(0) : new Expr.Logic(true, operands, text);
    }

    private Expr unary(String text) throws InvalidRequestException {
        int nots = 0;
        while (accept(Token.NOT)) {
            nots++;
        }
        if (next >= sequence.size() || !(sequence.get(next) instanceof Expression e)) {
            throw SqlErrors.error("cannot read " + text);
        }
        next++;
        Expr operand = e instanceof InExpression in ? in(in) : compiler.compile(e, depth + 1);
        // NOT NOT x is x, but keep one pair so that x is still checked to be boolean.
        for (int i = nots % 2 == 1 ? 1 : Math.min(nots, 2); i > 0; i--) {
            operand = new Expr.Not(operand, text);
        }
        return operand;
    }

    private Expr in(InExpression in) throws InvalidRequestException {
        Expression right = in.getRightExpression();
        if (right instanceof Select) {
            throw SqlErrors.unsupported("a subquery (" + right + ")");
        }
        if (!(right instanceof ExpressionList<?> list)) {
            throw SqlErrors.unsupported("IN " + right + "; write IN (?, ?, ...)");
        }
        if (list.isEmpty()) {
            throw SqlErrors.error("IN () needs at least one value");
        }
        List<Expr> items = new ArrayList<>(list.size());
        for (Expression item : list) {
            items.add(compiler.compile(item, depth + 1));
        }
        return new Predicates.In(compiler.compile(in.getLeftExpression(), depth + 1), items, in.isNot(),
                in.toString());
    }

    private boolean accept(Token t) {
        if (next < sequence.size() && sequence.get(next) == t) {
            next++;
            return true;
        }
        return false;
    }
}
