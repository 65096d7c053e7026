// Drives a Taskdeck server through the official @trigger.dev/sdk (v4): every call below parses the
// server's answer with the SDK's own zod schemas, so a missing or mistyped field fails here.
const assert = require("node:assert/strict");
const { configure, tasks, runs, queues, idempotencyKeys } = require("@trigger.dev/sdk");

configure({ secretKey: process.env.TASKDECK_KEY, baseURL: process.env.TASKDECK_URL });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, probe, done) {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (done(value)) return value;
    await sleep(25);
  }
  throw new Error("timed out waiting for " + what);
}

async function step(name, fn) {
  try {
    await fn();
    console.log("ok " + name);
  } catch (e) {
    console.error("FAILED " + name + ": " + (e && e.stack ? e.stack : e));
    process.exit(1);
  }
}

(async () => {
  let first;
  const key = await idempotencyKeys.create("sdk-key-1", { scope: "global" });
  await step("trigger with options", async () => {
    first = await tasks.trigger("sleep", { ms: 1 }, {
      idempotencyKey: key, concurrencyKey: "ws-1", tags: ["sdk", "compat"], ttl: "10m",
      priority: 10, maxAttempts: 4, metadata: { by: "sdk" },
    });
    assert.match(first.id, /^run_/);
  });
  await step("idempotent re-trigger returns the same run", async () => {
    const again = await tasks.trigger("sleep", { ms: 1 }, { idempotencyKey: key });
    assert.equal(again.id, first.id);
  });
  await step("retrieve until COMPLETED", async () => {
    const run = await until("COMPLETED", () => runs.retrieve(first.id), (r) => r.status === "COMPLETED");
    assert.deepEqual(run.payload, { ms: 1 });
    assert.deepEqual(run.output, { slept: 1 });
    assert.deepEqual(run.tags, ["sdk", "compat"]);
    assert.equal(run.isSuccess, true);
    assert.equal(run.metadata.by, "sdk");
    assert.ok(run.createdAt instanceof Date);
  });
  await step("list with filters and cursor pages", async () => {
    for (let i = 0; i < 3; i++) await tasks.trigger("noop", { i }, { tags: ["paged"] });
    const page = await runs.list({ taskIdentifier: "sleep", status: ["COMPLETED"], limit: 10 });
    assert.ok(page.data.some((r) => r.id === first.id), "the completed sleep run is listed");
    assert.ok(page.data.every((r) => r.taskIdentifier === "sleep" && r.status === "COMPLETED"));
    const seen = [];
    for await (const run of runs.list({ tag: "paged", limit: 2 })) seen.push(run.id);
    assert.equal(seen.length, 3);
    assert.equal(new Set(seen).size, 3);
  });
  await step("cancel a delayed run", async () => {
    const delayed = await tasks.trigger("noop", {}, { delay: "1h" });
    assert.equal((await runs.retrieve(delayed.id)).status, "DELAYED");
    const rescheduled = await runs.reschedule(delayed.id, { delay: "2h" });
    assert.equal(rescheduled.status, "DELAYED");
    await runs.cancel(delayed.id);
    assert.equal((await runs.retrieve(delayed.id)).status, "CANCELED");
  });
  await step("replay", async () => {
    const replayed = await runs.replay(first.id);
    assert.notEqual(replayed.id, first.id);
    const run = await until("the replay to complete", () => runs.retrieve(replayed.id), (r) => r.status === "COMPLETED");
    assert.deepEqual(run.payload, { ms: 1 });
  });
  await step("batch trigger", async () => {
    const batch = await tasks.batchTrigger("noop", [{ payload: { n: 1 } }, { payload: { n: 2 } }]);
    assert.ok(batch.batchId);
    const page = await runs.list({ taskIdentifier: "noop", limit: 50 });
    assert.ok(page.data.length >= 5);
  });
  await step("queues: list, pause, resume, override, reset", async () => {
    const q = { type: "custom", name: "noop" };
    const listed = await queues.list();
    assert.ok(listed.data.some((x) => x.name === "noop"));
    const paused = await queues.pause(q);
    assert.equal(paused.paused, true);
    const held = await tasks.trigger("noop", {});
    await sleep(100);
    assert.equal((await runs.retrieve(held.id)).status, "QUEUED");
    assert.equal((await queues.resume(q)).paused, false);
    await until("the held run to complete", () => runs.retrieve(held.id), (r) => r.status === "COMPLETED");
    const overridden = await queues.overrideConcurrencyLimit(q, 3);
    assert.equal(overridden.concurrencyLimit, 3);
    assert.equal(overridden.concurrency.override, 3);
    const reset = await queues.resetConcurrencyLimit(q);
    assert.equal(reset.concurrency.override, null);
    assert.equal(reset.concurrencyLimit, 10);
    const retrieved = await queues.retrieve(overridden.id);
    assert.equal(retrieved.name, "noop");
  });
  await step("idempotency key reset", async () => {
    await idempotencyKeys.reset("sleep", key);
    const fresh = await tasks.trigger("sleep", { ms: 1 }, { idempotencyKey: key });
    assert.notEqual(fresh.id, first.id);
  });
  console.log("SDK-COMPAT-OK");
})();
