package io.lakehousecdc.savepoints;

/** A job as the JobManager reports it. */
public record RunningJob(String id, String name, String state) {

    boolean isRunning() {
        return state.equals("RUNNING");
    }
}
