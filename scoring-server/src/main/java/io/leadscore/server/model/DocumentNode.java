package io.leadscore.server.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A node of a model document with its path, reading typed values and recording every problem instead of stopping
 * at the first, so an author sees all that is wrong in one answer.
 */
final class DocumentNode {

    private final JsonNode node;
    private final String path;
    private final List<ModelProblem> problems;

    DocumentNode(JsonNode node, String path, List<ModelProblem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** Whether the value under {@code key} is a mapping (as opposed to a plain value or a list). */
    boolean isMapping(String key) {
        return has(key) && node.get(key).isObject();
    }

    void problem(String reason) {
        problems.add(new ModelProblem(path, reason));
    }

    void problem(String key, String reason) {
        problems.add(new ModelProblem(child(key), reason));
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Reports keys the document may not use here; call after reading an object. */
    void allowOnly(Set<String> keys) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!keys.contains(name)) {
                problems.add(new ModelProblem(child(name), "unknown field; expected one of " + new java.util.TreeSet<>(keys)));
            }
        }
    }

    DocumentNode object(String key, boolean required) {
        if (!has(key)) {
            if (required) {
                problem(key, "is required");
            }
            return null;
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            problem(key, "must be a mapping");
            return null;
        }
        return new DocumentNode(value, child(key), problems);
    }

    /** The items of a list; a missing list is empty. */
    List<DocumentNode> list(String key) {
        List<DocumentNode> items = new ArrayList<>();
        if (!has(key)) {
            return items;
        }
        JsonNode value = node.get(key);
        if (!value.isArray()) {
            problem(key, "must be a list");
            return items;
        }
        for (int i = 0; i < value.size(); i++) {
            items.add(new DocumentNode(value.get(i), child(key) + "[" + i + "]", problems));
        }
        return items;
    }

    boolean isObject() {
        if (!node.isObject()) {
            problem("must be a mapping");
            return false;
        }
        return true;
    }

    String string(String key, boolean required) {
        if (!has(key)) {
            if (required) {
                problem(key, "is required");
            }
            return null;
        }
        JsonNode value = node.get(key);
        if (!value.isValueNode() || value.isBoolean()) {
            problem(key, "must be a text value");
            return null;
        }
        return value.asText();
    }

    /** This node itself as text (a list item that is a plain value). */
    String asText() {
        if (!node.isValueNode() || node.isNull()) {
            problem("must be a text value");
            return null;
        }
        return node.asText();
    }

    Double number(String key, boolean required) {
        if (!has(key)) {
            if (required) {
                problem(key, "is required");
            }
            return null;
        }
        JsonNode value = node.get(key);
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            problem(key, "must be a finite number");
            return null;
        }
        return value.asDouble();
    }

    Integer integer(String key, boolean required) {
        if (!has(key)) {
            if (required) {
                problem(key, "is required");
            }
            return null;
        }
        JsonNode value = node.get(key);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problem(key, "must be a whole number");
            return null;
        }
        return value.asInt();
    }

    boolean bool(String key) {
        if (!has(key)) {
            return false;
        }
        JsonNode value = node.get(key);
        if (!value.isBoolean()) {
            problem(key, "must be true or false");
            return false;
        }
        return value.asBoolean();
    }

    <T> List<T> strings(String key, Function<String, T> mapper) {
        List<T> values = new ArrayList<>();
        for (DocumentNode item : list(key)) {
            String text = item.asText();
            if (text != null) {
                values.add(mapper.apply(text));
            }
        }
        return values;
    }
}
