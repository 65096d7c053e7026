package io.taskdeck.server.internal;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.taskdeck.server.EngineTaskServer;
import java.util.function.Function;

/** The Trigger.dev-compatible endpoints. */
public final class TriggerDevApi {
    private final Requests requests;
    private final Function<Context, EngineTaskServer> caller;

    public TriggerDevApi(Requests requests, Function<Context, EngineTaskServer> caller) {
        this.requests = requests;
        this.caller = caller;
    }

    public void register(Javalin app) {
    }
}
