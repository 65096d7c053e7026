package io.taskdeck.bench;

import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.storage.StorageProvider;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * JobRunr (its in-memory storage, 100 workers, its shortest poll interval) on the same no-op
 * workload as {@code memory.e2e.noop}: from the first enqueue to the last job SUCCEEDED.
 */
final class JobRunrPeer {

    /** The job JobRunr runs: it must be a public static method it can find by reflection. */
    public static final class NoopJob {
        static final LongAdder RAN = new LongAdder();

        private NoopJob() {
        }

        public static void run(int ignored) {
            RAN.increment();
        }
    }

    private final Bench.Scale scale;

    JobRunrPeer(Bench.Scale scale) {
        this.scale = scale;
    }

    double endToEndNoop() throws Exception {
        int jobs = scale.peerRuns;
        StorageProvider storage = new InMemoryStorageProvider();
        JobScheduler scheduler = JobRunr.configure()
                .useStorageProvider(storage)
                .useBackgroundJobServer(BackgroundJobServerConfiguration
                        .usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(100)
                        .andPollInterval(Duration.ofSeconds(5)))
                .initialize()
                .getJobScheduler();
        try {
            long start = System.nanoTime();
            scheduler.enqueue(IntStream.range(0, jobs).boxed(), i -> NoopJob.run(i));
            long deadline = start + Duration.ofMinutes(10).toNanos();
            while (storage.getJobStats().getSucceeded() < jobs) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("JobRunr finished only " + storage.getJobStats().getSucceeded()
                            + " of " + jobs + " jobs in 10 minutes");
                }
                Thread.sleep(20);
            }
            double rate = Figures.perSecond(jobs, System.nanoTime() - start);
            Figures.print("jobrunr.e2e.noop", rate, "runs/s");
            return rate;
        } finally {
            JobRunr.destroy();
        }
    }
}
