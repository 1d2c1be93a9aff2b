package com.leadsync.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of GAQL (the Google Ads Query Language) the offline Google Ads fake reads:
 * {@code SELECT f, ... FROM resource [WHERE f op value [AND ...]] [ORDER BY f [ASC|DESC], ...] [LIMIT n]}, with the
 * operators {@code = != > >= < <=} on one literal and {@code IN (...)}/{@code NOT IN (...)} on a list. A query
 * outside it is refused with the {@code QueryError} Google would give, or {@code BAD_OPERATOR} for an operator
 * real GAQL has but this fake does not.
 */
record GaqlQuery(List<String> select, String from, List<Condition> where, List<Order> orderBy, Integer limit) {

    record Condition(String field, String operator, List<String> values) {
    }

    record Order(String field, boolean descending) {
    }

    /** A query Google refuses: {@code queryError} is the {@code QueryErrorEnum} name. */
    static final class Refused extends RuntimeException {
        final String queryError;

        Refused(String queryError, String message) {
            super(message);
            this.queryError = queryError;
        }
    }

    private static final List<String> COMPARISONS = List.of("=", "!=", ">", ">=", "<", "<=");
    private static final List<String> UNSUPPORTED = List.of("LIKE", "CONTAINS", "BETWEEN", "DURING", "IS",
            "REGEXP_MATCH", "STARTS_WITH");

    static GaqlQuery parse(String text) {
        Tokens t = new Tokens(text);
        if (!t.keyword("SELECT")) {
            throw new Refused("EXPECTED_SELECT", "Expected SELECT at the start of the query.");
        }
        List<String> select = new ArrayList<>();
        do {
            select.add(t.field("a field after SELECT"));
        } while (t.symbol(","));
        if (!t.keyword("FROM")) {
            throw new Refused("EXPECTED_FROM", "Expected FROM after the selected fields.");
        }
        String from = t.field("a resource after FROM");
        List<Condition> where = new ArrayList<>();
        if (t.keyword("WHERE")) {
            do {
                where.add(condition(t));
            } while (t.keyword("AND"));
            if (t.keyword("OR")) {
                throw new Refused("BAD_SYMBOL", "OR is not supported in GAQL: conditions are joined by AND.");
            }
        }
        List<Order> orderBy = new ArrayList<>();
        if (t.keyword("ORDER")) {
            if (!t.keyword("BY")) {
                throw new Refused("EXPECTED_BY", "Expected BY after ORDER.");
            }
            do {
                String field = t.field("a field after ORDER BY");
                boolean descending = t.keyword("DESC");
                if (!descending) {
                    t.keyword("ASC");
                }
                orderBy.add(new Order(field, descending));
            } while (t.symbol(","));
        }
        Integer limit = null;
        if (t.keyword("LIMIT")) {
            String n = t.next();
            if (n == null || !n.matches("[0-9]{1,9}") || Integer.parseInt(n) == 0) {
                throw new Refused("BAD_LIMIT_VALUE", "LIMIT must be a positive integer, got " + n + ".");
            }
            limit = Integer.parseInt(n);
        }
        if (t.peek() != null) {
            throw new Refused("QUERY_ERROR", "Unexpected '" + t.peek() + "' in the query.");
        }
        return new GaqlQuery(List.copyOf(select), from, List.copyOf(where), List.copyOf(orderBy), limit);
    }

    private static Condition condition(Tokens t) {
        String field = t.field("a field in the WHERE clause");
        String op = t.next();
        if (op == null) {
            throw new Refused("QUERY_ERROR", "Expected an operator after " + field + ".");
        }
        String upper = op.toUpperCase(Locale.ROOT);
        if (upper.equals("NOT") && t.keyword("IN") || upper.equals("IN")) {
            String operator = upper.equals("IN") ? "IN" : "NOT IN";
            if (!t.symbol("(")) {
                throw new Refused("EXPECTED_LIST", "Expected a list after " + operator + ".");
            }
            List<String> values = new ArrayList<>();
            do {
                values.add(t.literal(field));
            } while (t.symbol(","));
            if (!t.symbol(")")) {
                throw new Refused("QUERY_ERROR", "Expected ) to close the list.");
            }
            return new Condition(field, operator, List.copyOf(values));
        }
        if (COMPARISONS.contains(op)) {
            return new Condition(field, op, List.of(t.literal(field)));
        }
        if (UNSUPPORTED.contains(upper)) {
            throw new Refused("BAD_OPERATOR", "Operator " + upper + " is valid GAQL but not served by the local fake.");
        }
        throw new Refused("BAD_OPERATOR", "Invalid operator '" + op + "'.");
    }

    /** The query's words, symbols and literals; a literal token keeps its quote as first character. */
    private static final class Tokens {
        private final List<String> tokens = new ArrayList<>();
        private int at;

        Tokens(String text) {
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '\'' || c == '"') {
                    StringBuilder literal = new StringBuilder().append('\'');
                    int j = i + 1;
                    while (j < text.length() && text.charAt(j) != c) {
                        if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                            j++;
                        }
                        literal.append(text.charAt(j++));
                    }
                    if (j >= text.length()) {
                        throw new Refused("QUERY_ERROR", "A string literal is not closed.");
                    }
                    tokens.add(literal.toString());
                    i = j + 1;
                } else if ("<>!=".indexOf(c) >= 0) {
                    boolean two = i + 1 < text.length() && text.charAt(i + 1) == '=';
                    tokens.add(text.substring(i, two ? i + 2 : i + 1));
                    i += two ? 2 : 1;
                } else if ("(),".indexOf(c) >= 0) {
                    tokens.add(String.valueOf(c));
                    i++;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+') {
                    int j = i;
                    while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || "_.-+".indexOf(
                            text.charAt(j)) >= 0)) {
                        j++;
                    }
                    tokens.add(text.substring(i, j));
                    i = j;
                } else {
                    throw new Refused("BAD_SYMBOL", "Unexpected symbol '" + c + "' in the query.");
                }
            }
        }

        String peek() {
            return at < tokens.size() ? tokens.get(at) : null;
        }

        String next() {
            return at < tokens.size() ? tokens.get(at++) : null;
        }

        boolean keyword(String word) {
            String next = peek();
            if (next != null && next.charAt(0) != '\'' && next.equalsIgnoreCase(word)) {
                at++;
                return true;
            }
            return false;
        }

        boolean symbol(String symbol) {
            if (symbol.equals(peek())) {
                at++;
                return true;
            }
            return false;
        }

        String field(String what) {
            String next = next();
            if (next == null || !next.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
                throw new Refused("BAD_FIELD_NAME", "Expected " + what + ", got " + (next == null ? "the end of the"
                        + " query" : "'" + next + "'") + ".");
            }
            return next;
        }

        /** A quoted string (unquoted) or a number. */
        String literal(String field) {
            String next = next();
            if (next != null && next.charAt(0) == '\'') {
                return next.substring(1);
            }
            if (next != null && next.matches("-?[0-9]+(\\.[0-9]+)?")) {
                return next;
            }
            throw new Refused("BAD_VALUE", "Expected a value for " + field + ", got " + (next == null ? "the end of"
                    + " the query" : "'" + next + "'") + ".");
        }
    }
}
