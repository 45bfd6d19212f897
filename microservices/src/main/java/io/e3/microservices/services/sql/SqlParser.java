package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.statement.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses one statement with JSqlParser's generated parser, on the calling thread, in its plain (not "complex") mode.
 *
 * <p>Why the checks before parsing: JSqlParser 5.3 backtracks heavily on malformed input. In "complex" mode (which
 * {@code CCJSqlParserUtil.parse} retries with after a failure, guarded by a timeout on an executor thread) six unclosed
 * parentheses take over a minute; in plain mode unbalanced or deeply nested parentheses and CASE cost up to seconds.
 * So the statement is first lexed (linear time) and refused if its parentheses do not balance, nest deeper than
 * {@value #MAX_NESTING}, or it uses CASE, UNION and the like, or a second SELECT (a subquery), none of which this
 * engine runs. What remains parses in about a millisecond or less, and junk at worst in about 0.1 s (measured);
 * compiled statements are cached, so parsing is off the hot path.
 */
final class SqlParser {

    /** Deeper parenthesis nesting is refused before parsing. */
    static final int MAX_NESTING = 16;
    private static final Set<String> SET_OPERATIONS = Set.of("UNION", "INTERSECT", "EXCEPT", "MINUS");

    private SqlParser() {
    }

    static Statement parse(String sql) throws InvalidRequestException {
        if (sql.isBlank()) {
            throw SqlErrors.error("empty statement");
        }
        try {
            screen(sql);
            return parseChecked(sql);
        } catch (ParseException e) {
            throw syntaxError(e);
        } catch (TokenMgrException e) {
            throw SqlErrors.error("syntax error: " + String.valueOf(e.getMessage()).strip());
        } catch (RuntimeException e) {
            // The generated parser also fails with unchecked exceptions, e.g. NumberFormatException on "? 99999999999".
            throw SqlErrors.error("syntax error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (StackOverflowError e) {
            throw SqlErrors.error("statement too deeply nested to parse");
        }
    }

    /** Lexes the statement, refusing what would make the parser backtrack for long (see the class comment). */
    private static void screen(String sql) throws InvalidRequestException {
        CCJSqlParser lexer = CCJSqlParserUtil.newParser(sql);
        int depth = 0;
        int selects = 0;
        for (Token t = lexer.getNextToken(); t.kind != CCJSqlParserConstants.EOF; t = lexer.getNextToken()) {
            String image = t.image.toUpperCase(Locale.ROOT);
            if (image.equals("(") && ++depth > MAX_NESTING) {
                throw SqlErrors.error("parentheses nested deeper than " + MAX_NESTING + " levels");
            } else if (image.equals(")") && --depth < 0) {
                throw SqlErrors.error("syntax error: unbalanced ) at line " + t.beginLine + ", column "
                        + t.beginColumn);
            } else if (image.equals("CASE")) {
                throw SqlErrors.unsupported("CASE");
            } else if (SET_OPERATIONS.contains(image)) {
                throw SqlErrors.unsupported("UNION/INTERSECT/EXCEPT");
            } else if (image.equals("SELECT") && ++selects > 1) {
                throw SqlErrors.unsupported("a subquery (a second SELECT)");
            }
        }
        if (depth != 0) {
            throw SqlErrors.error("syntax error: " + depth + " unclosed (");
        }
    }

    private static Statement parseChecked(String sql) throws ParseException, InvalidRequestException {
        CCJSqlParser parser = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false);
        Statement statement = parser.Statement();
        if (statement == null) {
            throw SqlErrors.error("empty statement");
        }
        Token next = parser.getNextToken();
        if (next.kind != CCJSqlParserConstants.EOF) {
            throw SqlErrors.error("one statement per request; another starts at line " + next.beginLine
                    + ", column " + next.beginColumn);
        }
        return statement;
    }

    /** JSqlParser's message (unexpected token and position) without its list of every keyword it could accept. */
    private static InvalidRequestException syntaxError(ParseException e) {
        String[] lines = String.valueOf(e.getMessage()).split("\\R");
        StringBuilder message = new StringBuilder("syntax error: ");
        List<String> expected = new ArrayList<>();
        boolean inExpected = false;
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("Was expecting")) {
                inExpected = true;
            } else if (inExpected && !l.isEmpty()) {
                expected.add(l);
            } else if (!inExpected && !l.isEmpty()) {
                message.append(message.charAt(message.length() - 1) == ' ' ? "" : " ").append(l);
            }
        }
        if (!expected.isEmpty() && expected.size() <= 8) {
            message.append(" Expected: ").append(String.join(", ", expected));
        }
        return SqlErrors.error(message.toString());
    }
}
