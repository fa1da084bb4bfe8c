package io.leadscore.server.model;

import java.util.Locale;
import java.util.Set;
import com.google.re2j.Pattern;

/** A test on one value (a profile field or an engagement attribute), as the model document states it. */
public sealed interface ValueMatcher {

    boolean matches(String value);

    /** Case-insensitive equality. */
    record Equals(String expected) implements ValueMatcher {
        @Override
        public boolean matches(String value) {
            return value.equalsIgnoreCase(expected);
        }
    }

    /** Case-insensitive membership. */
    record In(Set<String> values) implements ValueMatcher {
        public In {
            values = values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
        }

        @Override
        public boolean matches(String value) {
            return values.contains(value.toLowerCase(Locale.ROOT));
        }
    }

    /** A numeric range, both ends inclusive and optional; non-numbers, NaN and infinities never match. */
    record Range(Double min, Double max) implements ValueMatcher {
        @Override
        public boolean matches(String value) {
            double number;
            try {
                number = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return false;
            }
            return Double.isFinite(number) && (min == null || number >= min) && (max == null || number <= max);
        }
    }

    /**
     * A regular expression found anywhere in the value, case-insensitive. RE2 syntax, matched in time linear in the
     * value: a model's pattern meets values that ingest callers chose, and a backtracking engine would let one
     * pattern such as {@code (a+)+$} and one crafted job title stall scoring (found by {@code ModelParserFuzzTest}).
     */
    record Regex(Pattern pattern) implements ValueMatcher {
        @Override
        public boolean matches(String value) {
            return pattern.matcher(value).find();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Regex regex && regex.pattern.pattern().equals(pattern.pattern());
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }
    }
}
