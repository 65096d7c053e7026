package io.taskdeck.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.client.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads typed fields out of a JSON request body, collecting every problem with its JSON path. A value
 * of the wrong JSON type is a 400 (bad_request); a well-typed value out of range is a 422
 * (validation_failed), as API.md says.
 */
public final class Fields {
    private final List<FieldError> typeErrors = new ArrayList<>();
    private final List<FieldError> valueErrors = new ArrayList<>();

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    public static String show(JsonNode v) {
        return v == null ? null : Texts.abbreviate(v.toString());
    }

    public void wrongType(String path, String expected, JsonNode got) {
        typeErrors.add(new FieldError(path, expected, show(got)));
    }

    public void invalid(String path, String expected, String got) {
        valueErrors.add(new FieldError(path, expected, Texts.abbreviate(got)));
    }

    public String text(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (absent(v)) {
            return null;
        }
        if (!v.isTextual()) {
            wrongType(path, "a string", v);
            return null;
        }
        return v.textValue();
    }

    public String requiredText(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (absent(v)) {
            invalid(path, "a non-empty string", null);
            return null;
        }
        String s = text(obj, name, path);
        if (s != null && s.isEmpty()) {
            invalid(path, "a non-empty string", "\"\"");
            return null;
        }
        return s;
    }

    public Integer integer(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (absent(v)) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            wrongType(path, "an integer", v);
            return null;
        }
        return v.intValue();
    }

    public Double number(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (absent(v)) {
            return null;
        }
        if (!v.isNumber()) {
            wrongType(path, "a number", v);
            return null;
        }
        return v.doubleValue();
    }

    public Boolean bool(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (absent(v)) {
            return null;
        }
        if (!v.isBoolean()) {
            wrongType(path, "true or false", v);
            return null;
        }
        return v.booleanValue();
    }

    /** An ISO-8601 duration such as "PT10M"; negative ones are refused. */
    public Duration duration(JsonNode obj, String name, String path) {
        String s = text(obj, name, path);
        if (s == null) {
            return null;
        }
        try {
            Duration d = Duration.parse(s);
            if (d.isNegative()) {
                invalid(path, "a duration >= 0", s);
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            wrongType(path, "an ISO-8601 duration such as \"PT10M\"", obj.get(name));
            return null;
        }
    }

    public Instant instant(JsonNode obj, String name, String path) {
        String s = text(obj, name, path);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            wrongType(path, "an ISO-8601 instant such as \"2025-01-31T12:00:00Z\"", obj.get(name));
            return null;
        }
    }

    public List<String> strings(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            wrongType(path, "an array of strings", v);
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual()) {
                wrongType(path + "[" + i + "]", "a string", item);
            } else {
                out.add(item.textValue());
            }
        }
        return out;
    }

    /** An object field; absent or null gives null. */
    public JsonNode object(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (absent(v)) {
            return null;
        }
        if (!v.isObject()) {
            wrongType(path, "a JSON object", v);
            return null;
        }
        return v;
    }

    public boolean ok() {
        return typeErrors.isEmpty() && valueErrors.isEmpty();
    }

    public List<FieldError> all() {
        List<FieldError> all = new ArrayList<>(typeErrors);
        all.addAll(valueErrors);
        return all;
    }

    public void addAll(List<FieldError> errors) {
        valueErrors.addAll(errors);
    }

    /** Throws the 400 or 422 describing every problem found so far. */
    public void check(String message) {
        if (!typeErrors.isEmpty()) {
            throw new ApiError(400, "bad_request", message, all());
        }
        if (!valueErrors.isEmpty()) {
            throw ApiError.invalid(message, all());
        }
    }
}
