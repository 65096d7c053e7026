package io.taskdeck.app.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A starting payload made from a JSON Schema: the schema's default or first example where it
 * gives one, else a value of the right type for each property (required ones first).
 */
public final class SchemaSample {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 6;

    private SchemaSample() {
    }

    public static JsonNode of(JsonNode schema) {
        return schema == null ? F.objectNode() : sample(schema, 0);
    }

    private static JsonNode sample(JsonNode s, int depth) {
        if (s.has("default")) {
            return s.get("default");
        }
        if (s.path("examples").isArray() && !s.get("examples").isEmpty()) {
            return s.get("examples").get(0);
        }
        if (s.has("const")) {
            return s.get("const");
        }
        if (s.path("enum").isArray() && !s.get("enum").isEmpty()) {
            return s.get("enum").get(0);
        }
        for (String combinator : new String[] {"oneOf", "anyOf", "allOf"}) {
            if (s.path(combinator).isArray() && !s.get(combinator).isEmpty()) {
                return sample(s.get(combinator).get(0), depth + 1);
            }
        }
        String type = s.path("type").isArray() ? s.get("type").path(0).asText() : s.path("type").asText("");
        if (type.isEmpty() && s.has("properties")) {
            type = "object";
        }
        return switch (type) {
            case "object" -> object(s, depth);
            case "array" -> depth >= MAX_DEPTH || !s.has("items") ? F.arrayNode()
                    : F.arrayNode().add(sample(s.get("items"), depth + 1));
            case "string" -> F.textNode(string(s));
            case "integer" -> F.numberNode(s.path("minimum").asLong(0));
            case "number" -> F.numberNode(s.path("minimum").asDouble(0));
            case "boolean" -> F.booleanNode(false);
            case "null" -> F.nullNode();
            default -> F.nullNode();
        };
    }

    private static ObjectNode object(JsonNode s, int depth) {
        ObjectNode o = F.objectNode();
        if (depth >= MAX_DEPTH) {
            return o;
        }
        JsonNode props = s.path("properties");
        for (JsonNode required : s.path("required")) {
            if (props.has(required.asText())) {
                o.set(required.asText(), sample(props.get(required.asText()), depth + 1));
            }
        }
        props.fieldNames().forEachRemaining(name -> {
            if (!o.has(name)) {
                o.set(name, sample(props.get(name), depth + 1));
            }
        });
        return o;
    }

    private static String string(JsonNode s) {
        return switch (s.path("format").asText("")) {
            case "date-time" -> "2025-01-01T00:00:00Z";
            case "date" -> "2025-01-01";
            case "email" -> "someone@example.com";
            case "uri" -> "https://example.com";
            case "uuid" -> "00000000-0000-0000-0000-000000000000";
            default -> "";
        };
    }
}
