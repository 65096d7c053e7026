package io.taskdeck.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.taskdeck.engine.InvalidPayloadException;
import io.taskdeck.engine.TaskDefinition;

import java.util.ArrayList;
import java.util.List;

/** A task definition with its schema compiled, as the engine keeps it. */
public final class RegisteredTask {

    private final TaskDefinition<Object> definition;
    private final PayloadSchema schema;
    private final boolean anyJson;
    private final ObjectReader payloadReader;
    private final Class<?> payloadClass;
    private final ObjectWriter payloadWriter;
    private final ObjectMapper mapper;

    @SuppressWarnings("unchecked")
    public RegisteredTask(TaskDefinition<?> definition, ObjectMapper mapper) {
        this.definition = (TaskDefinition<Object>) definition;
        this.schema = definition.payloadSchema() == null ? null
                : PayloadSchema.compile(definition.id(), definition.payloadSchema(), mapper);
        this.anyJson = JsonNode.class.isAssignableFrom(definition.payloadType().getRawClass());
        this.payloadReader = mapper.readerFor(definition.payloadType());
        this.payloadClass = definition.payloadType().getRawClass();
        this.payloadWriter = mapper.writerFor(definition.payloadType());
        this.mapper = mapper;
    }

    /**
     * A payload as JSON text. An instance of exactly the payload type goes through a writer built
     * once for it (no serializer lookup per trigger); anything else (a subclass, a map) is written
     * by its runtime type.
     */
    public String writePayload(Object payload) throws com.fasterxml.jackson.core.JsonProcessingException {
        if (payload != null && payload.getClass() == payloadClass) {
            return payloadWriter.writeValueAsString(payload);
        }
        return mapper.writeValueAsString(payload);
    }

    /** Binds a stored payload to the payload type (the reader is built once: no per-run lookups). */
    public Object readPayload(String json) throws java.io.IOException {
        return payloadReader.readValue(json);
    }

    public TaskDefinition<Object> definition() {
        return definition;
    }

    /** The payload type is JsonNode: any JSON binds. */
    public boolean acceptsAnyJson() {
        return anyJson;
    }

    public String id() {
        return definition.id();
    }

    /**
     * Checks a payload before anything is stored: against the schema, then that it binds to the
     * payload type. {@code tree} is the payload as JSON; {@code typed} is true when the caller
     * passed an instance of the payload type (binding is then known to work).
     */
    public void validate(JsonNode tree, boolean typed, ObjectMapper mapper) {
        List<String> problems = new ArrayList<>();
        if (schema != null) {
            problems.addAll(schema.validate(tree));
        }
        if (problems.isEmpty() && !typed && !anyJson) {
            try {
                payloadReader.readValue(tree);
            } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
                problems.add(jsonPath(e) + ": " + e.getOriginalMessage());
            } catch (java.io.IOException e) {
                problems.add("$: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPayloadException(definition.id(), problems);
        }
    }

    private static String jsonPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder path = new StringBuilder("$");
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
