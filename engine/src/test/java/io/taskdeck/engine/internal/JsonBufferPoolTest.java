package io.taskdeck.engine.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.taskdeck.engine.Engine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBufferPoolTest {

    private static final ObjectMapper MAPPER = Engine.defaultMapper();

    /** Serializes itself by calling the same mapper again: buffers in use on one thread twice. */
    @JsonSerialize(using = Nested.Writer.class)
    record Nested(String inner) {
        static final class Writer extends JsonSerializer<Nested> {
            @Override
            public void serialize(Nested value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(MAPPER.writeValueAsString(Map.of("inner", value.inner())));
            }
        }
    }

    record Payload(int n, String text) {
    }

    @Test
    void aMapperCalledFromInsideItsOwnSerializerWorksOnPlatformAndVirtualThreads() throws Exception {
        String expected = "\"{\\\"inner\\\":\\\"x\\\"}\"";
        assertThat(MAPPER.writeValueAsString(new Nested("x"))).isEqualTo(expected);
        ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
        Thread.ofVirtual().start(() -> {
            try {
                results.add(MAPPER.writeValueAsString(new Nested("x")));
            } catch (Exception e) {
                results.add(e);
            }
        }).join();
        assertThat(results).containsExactly(expected);
    }

    @Test
    void manyVirtualThreadsSharingThePoolEachReadBackWhatTheyWrote() throws Exception {
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
            int id = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 50; i++) {
                    Payload p = new Payload(id * 1000 + i, "thread " + id + " line " + i + " ".repeat(i * 40));
                    try {
                        Payload back = MAPPER.readValue(MAPPER.writeValueAsString(p), Payload.class);
                        if (!back.equals(p)) {
                            problems.add(p + " came back as " + back);
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(problems).isEmpty();
    }
}
