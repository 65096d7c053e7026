package io.taskdeck.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live events over SSE: resume, dedupe, reconnect, connection state. Bounded waits only. */
@SuppressWarnings("try") // try-with-resources keeps subscriptions open for a block
class EventSubscriptionTest {
    private MockWebServer web;
    private HttpTaskServer server;
    private final Recorder recorder = new Recorder();
    private final CountDownLatch testOver = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        web = new MockWebServer();
        web.start();
        server = client(Duration.ofSeconds(10)).build();
    }

    private HttpTaskServer.Builder client(Duration streamReadTimeout) {
        return HttpTaskServer.builder()
                .baseUrl(web.url("/").toString())
                .apiKey("k")
                .streamReadTimeout(streamReadTimeout)
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
                .offlineAfterFailures(2);
    }

    @AfterEach
    void stop() {
        testOver.countDown();
        server.close();
        web.close();
    }

    static String event(long seq) {
        return "id: " + seq + "\nevent: run\ndata: {\"seq\":" + seq + ",\"at\":\"2025-01-01T00:00:00Z\","
                + "\"runId\":\"run_" + seq + "\",\"taskId\":\"noop\",\"queue\":\"noop\",\"type\":\"STATUS_CHANGED\","
                + "\"status\":\"COMPLETED\",\"attempt\":1,\"details\":null}\n\n";
    }

    static String ready(long after) {
        return "event: ready\ndata: {\"after\":" + after + "}\n\n";
    }

    /** A stream that ends after {@code body} (the client then reconnects). */
    static MockResponse stream(String body) {
        return new MockResponse(200, Headers.of("Content-Type", "text/event-stream"), body);
    }

    /** A stream that stays open after {@code body} until the test is over. */
    MockResponse openStream(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
                .body(new OpenBody(body, testOver)).build();
    }

    /** Writes its text, then holds the response open (chunked, no end) until released. */
    record OpenBody(String text, CountDownLatch release) implements MockResponseBody {
        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.writeUtf8(text).flush();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest request = web.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("the client connected").isNotNull();
        return request;
    }

    @Test
    void deliversEventsInOrderAndReportsConnected() throws Exception {
        web.enqueue(openStream(ready(0) + event(1) + event(2) + ": keep-alive\n\n" + event(3)));

        try (Subscription subscription = server.subscribe(0, recorder)) {
            recorder.awaitSeq(3);
            assertThat(recorder.seqs()).containsExactly(1L, 2L, 3L);
            assertThat(recorder.states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
            assertThat(subscription.lastSeq()).isEqualTo(3);
            assertThat(subscription.state()).isEqualTo(ConnectionState.CONNECTED);
            RecordedRequest request = taken();
            assertThat(request.getTarget()).isEqualTo("/api/taskdeck/v1/events");
            assertThat(request.getHeaders().get("Last-Event-ID")).isEqualTo("0");
            assertThat(request.getHeaders().get("Accept")).isEqualTo("text/event-stream");
            assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer k");
        }
    }

    @Test
    void aLiveSubscriptionSendsNoLastEventIdAndResumesFromTheReadyPosition() throws Exception {
        web.enqueue(stream(ready(41)));
        web.enqueue(openStream(event(41) + event(42)));

        try (Subscription ignored = server.subscribe(TaskServer.LIVE, recorder)) {
            recorder.awaitSeq(42);
            assertThat(taken().getHeaders().get("Last-Event-ID")).isNull();
            assertThat(taken().getHeaders().get("Last-Event-ID")).isEqualTo("41");
            assertThat(recorder.seqs()).containsExactly(42L);
        }
    }

    @Test
    void aStreamCutMidEventResumesWithLastEventIdWithoutLossOrDuplicates() throws Exception {
        String cut = event(2).substring(0, event(2).length() / 2);
        web.enqueue(stream(ready(0) + event(1) + cut));
        // The server replays from Last-Event-ID; a sloppy server repeating seq 1 must not duplicate it.
        web.enqueue(openStream(ready(1) + event(1) + event(2) + event(3)));

        try (Subscription ignored = server.subscribe(0, recorder)) {
            recorder.awaitSeq(3);
            assertThat(taken().getHeaders().get("Last-Event-ID")).isEqualTo("0");
            assertThat(taken().getHeaders().get("Last-Event-ID")).isEqualTo("1");
            assertThat(recorder.seqs()).containsExactly(1L, 2L, 3L);
            assertThat(recorder.states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED,
                    ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        }
    }

    @Test
    void aSocketClosedMidEventReconnects() throws Exception {
        web.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
                .chunkedBody(ready(0) + event(1) + event(2).substring(0, 30), 8)
                .onResponseEnd(new SocketEffect.CloseSocket()).build());
        web.enqueue(openStream(event(2)));

        try (Subscription ignored = server.subscribe(0, recorder)) {
            recorder.awaitSeq(2);
            taken();
            assertThat(taken().getHeaders().get("Last-Event-ID")).isEqualTo("1");
            assertThat(recorder.seqs()).containsExactly(1L, 2L);
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersIsLeftForANewConnection() throws Exception {
        server.close();
        server = client(Duration.ofMillis(300)).build();
        web.enqueue(new MockResponse.Builder().onRequestStart(SocketEffect.Stall.INSTANCE).build());
        web.enqueue(openStream(ready(5) + event(6)));

        try (Subscription ignored = server.subscribe(5, recorder)) {
            recorder.awaitSeq(6);
            assertThat(recorder.states).startsWith(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        }
    }

    @Test
    void aSilentOpenStreamTimesOutAndReconnects() throws Exception {
        server.close();
        server = client(Duration.ofMillis(300)).build();
        web.enqueue(openStream(ready(0) + event(1)));
        web.enqueue(openStream(event(2)));

        try (Subscription ignored = server.subscribe(0, recorder)) {
            recorder.awaitSeq(2);
            taken();
            assertThat(taken().getHeaders().get("Last-Event-ID")).isEqualTo("1");
        }
    }

    @Test
    void repeatedFailuresReportOfflineThenRecover() throws Exception {
        web.enqueue(new MockResponse(503, Headers.of(), ""));
        web.enqueue(new MockResponse(503, Headers.of(), ""));
        web.enqueue(new MockResponse(502, Headers.of(), ""));
        web.enqueue(openStream(ready(0) + event(1)));

        try (Subscription ignored = server.subscribe(0, recorder)) {
            recorder.awaitSeq(1);
            assertThat(recorder.states).containsExactly(
                    ConnectionState.RECONNECTING, ConnectionState.OFFLINE, ConnectionState.CONNECTED);
        }
    }

    @Test
    void unauthorizedStopsForGoodWithATypedError() throws Exception {
        web.enqueue(new MockResponse(401, Headers.of("Content-Type", "application/json"),
                "{\"error\":\"unauthorized\",\"message\":\"revoked key\",\"fieldErrors\":[]}"));

        try (Subscription subscription = server.subscribe(0, recorder)) {
            assertThat(recorder.errorLatch.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(recorder.error).isInstanceOf(UnauthorizedException.class);
            assertThat(recorder.error.getMessage()).contains("revoked key");
            assertThat(subscription.state()).isEqualTo(ConnectionState.OFFLINE);
            assertThat(recorder.states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.OFFLINE);
        }
        assertThat(web.getRequestCount()).isEqualTo(1);
    }

    @Test
    void resyncIsReportedAndTheStreamGoesOnFromTheNewPosition() throws Exception {
        web.enqueue(openStream("id: 900\nevent: resync\ndata: {\"requestedAfter\":3,\"oldestAvailable\":500,"
                + "\"resumedAfter\":900}\n\n" + event(901)));

        try (Subscription subscription = server.subscribe(3, recorder)) {
            recorder.awaitSeq(901);
            assertThat(recorder.resyncs).containsExactly(new Resync(3, 500, 900));
            assertThat(recorder.seqs()).containsExactly(901L);
            assertThat(subscription.lastSeq()).isEqualTo(901);
        }
    }

    @Test
    void aGapMakesTheClientAskAgainFromTheLastEventItHas() throws Exception {
        web.enqueue(openStream(ready(0) + event(1) + event(3)));
        web.enqueue(openStream(event(2) + event(3)));

        try (Subscription ignored = server.subscribe(0, recorder)) {
            recorder.awaitSeq(3);
            taken();
            assertThat(taken().getHeaders().get("Last-Event-ID")).isEqualTo("1");
            assertThat(recorder.seqs()).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void closingStopsCallbacksAndReconnects() throws Exception {
        // The stream stays open: a stream that ended would make the subscription reconnect on its
        // own before the close, and that request would take the second subscription's response.
        web.enqueue(openStream(ready(0) + event(1)));
        Subscription subscription = server.subscribe(0, recorder);
        recorder.awaitSeq(1);

        subscription.close();
        int callbacks = recorder.callbacks();
        int requests = web.getRequestCount();

        // Had the subscription not stopped, losing its stream would make it reconnect within the
        // 10 ms max backoff; a second subscription that must connect proves time has passed.
        Recorder other = new Recorder();
        web.enqueue(openStream(ready(7) + event(8)));
        try (Subscription ignored = server.subscribe(7, other)) {
            other.awaitSeq(8);
        }
        assertThat(recorder.callbacks()).isEqualTo(callbacks);
        assertThat(web.getRequestCount()).isEqualTo(requests + 1);
        assertThat(subscription.state()).isEqualTo(ConnectionState.OFFLINE);
    }

    /** Collects callbacks; checks they never overlap. */
    static final class Recorder implements RunEventListener {
        final List<RunEvent> events = new CopyOnWriteArrayList<>();
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();
        final List<Resync> resyncs = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        final CountDownLatch errorLatch = new CountDownLatch(1);
        volatile TaskServerException error;
        private final java.util.concurrent.atomic.AtomicInteger inCallback = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        private void enter() {
            calls.incrementAndGet();
            assertThat(inCallback.incrementAndGet()).as("overlapping listener calls").isEqualTo(1);
        }

        private void exit() {
            inCallback.decrementAndGet();
        }

        @Override
        public void onEvent(RunEvent event) {
            enter();
            events.add(event);
            arrivals.add(event.seq());
            exit();
        }

        @Override
        public void onConnectionState(ConnectionState state) {
            enter();
            states.add(state);
            exit();
        }

        @Override
        public void onResync(Resync resync) {
            enter();
            resyncs.add(resync);
            exit();
        }

        @Override
        public void onError(TaskServerException e) {
            enter();
            error = e;
            errorLatch.countDown();
            exit();
        }

        int callbacks() {
            return calls.get();
        }

        List<Long> seqs() {
            List<Long> seqs = new ArrayList<>();
            events.forEach(e -> seqs.add(e.seq()));
            return seqs;
        }

        void awaitSeq(long seq) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                Long next = arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(next).as("event " + seq + " arrived within 5 s; got " + seqs()).isNotNull();
                if (next == seq) {
                    return;
                }
            }
        }
    }
}
