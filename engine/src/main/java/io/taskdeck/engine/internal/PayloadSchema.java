package io.taskdeck.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;

import java.util.List;
import java.util.Set;

/** A task's compiled payload schema. */
public final class PayloadSchema {

    private final JsonSchema schema;

    private PayloadSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /** Compiles a schema; a schema that is not JSON fails here, at registration. */
    public static PayloadSchema compile(String taskId, String schemaJson, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(schemaJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("task " + taskId + ": payloadSchema is not valid JSON: " + e.getMessage(), e);
        }
        SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(node, false)
                .orElse(SpecVersion.VersionFlag.V202012);
        return new PayloadSchema(JsonSchemaFactory.getInstance(version).getSchema(node));
    }

    /** One message per problem, each starting with the JSON path of the field; empty when valid. */
    public List<String> validate(JsonNode payload) {
        Set<ValidationMessage> messages = schema.validate(payload);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
