package io.taskdeck.app.trigger;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/**
 * Checks a payload as the user types: is it JSON (and if not, where it breaks), and does it
 * match the task's JSON Schema (and if not, which field).
 *
 * @param payload  the parsed payload, null when the text is not JSON
 * @param problems what is wrong, each naming a line and column or a field; empty when valid
 * @param offset   character offset of a syntax error in the text, -1 when none
 */
public record PayloadCheck(JsonNode payload, List<String> problems, int offset) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public boolean valid() {
        return problems.isEmpty();
    }

    /** Checks {@code text} against {@code schema} (null for none). Blank text is a JSON null. */
    public static PayloadCheck of(String text, JsonNode schema) {
        JsonNode payload;
        if (text == null || text.isBlank()) {
            payload = MAPPER.nullNode();
        } else {
            try {
                payload = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                String where = at == null ? "" : "Line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
                int offset = at == null ? -1 : (int) Math.min(Math.max(at.getCharOffset(), 0), text.length());
                return new PayloadCheck(null, List.of(where + e.getOriginalMessage()), offset);
            }
        }
        if (schema == null) {
            return new PayloadCheck(payload, List.of(), -1);
        }
        List<String> problems = compile(schema).validate(payload).stream()
                .map(ValidationMessage::getMessage).sorted().toList();
        return new PayloadCheck(payload, problems, -1);
    }

    private static JsonSchema compile(JsonNode schema) {
        SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(schema, false)
                .orElse(SpecVersion.VersionFlag.V202012);
        return JsonSchemaFactory.getInstance(version).getSchema(schema);
    }
}
