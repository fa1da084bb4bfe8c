package io.leadscore.server.scoring;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance per distinct short value for the fields that repeat across millions of facts (engagement types,
 * channels, attribute names and values, job titles, industries): every fact read from the store or a request
 * arrives as a fresh string, and a million folded leads otherwise hold the word "page_view" millions of times.
 *
 * <p>Bounded, because values come from callers: once {@value #MAX_VALUES} values are held, new ones are kept as they
 * are (only the sharing stops). Long values (URLs, free text) are never pooled: they rarely repeat.
 */
public final class SharedStrings {

    static final int MAX_VALUES = 65_536;
    static final int MAX_LENGTH = 48;

    private static final SharedStrings POOL = new SharedStrings(MAX_VALUES);

    private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();
    private final int maxValues;

    SharedStrings(int maxValues) {
        this.maxValues = maxValues;
        EngagementTypes.KNOWN.forEach(type -> values.put(type, type));
    }

    /** The shared instance equal to {@code value}, or {@code value} itself. */
    public static String of(String value) {
        return POOL.share(value);
    }

    String share(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return value;
        }
        String shared = values.get(value);
        if (shared != null) {
            return shared;
        }
        if (values.size() >= maxValues) {
            return value;
        }
        shared = values.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }

    /** The list with each element shared. */
    public static java.util.List<String> of(java.util.List<String> values) {
        String[] shared = new String[values.size()];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = of(values.get(i));
        }
        return java.util.List.of(shared);
    }

    /** The map, unmodifiable, with its keys and values shared (no intermediate copy: facts are built per event). */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, String> of(java.util.Map<String, String> values) {
        java.util.Map.Entry<String, String>[] shared = new java.util.Map.Entry[values.size()];
        int i = 0;
        for (java.util.Map.Entry<String, String> entry : values.entrySet()) {
            shared[i++] = java.util.Map.entry(of(entry.getKey()), of(entry.getValue()));
        }
        return java.util.Map.ofEntries(shared);
    }
}
