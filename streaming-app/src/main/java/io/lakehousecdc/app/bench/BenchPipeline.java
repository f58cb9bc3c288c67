package io.lakehousecdc.app.bench;

/** The pipelines every scenario compares, in the order they run. */
enum BenchPipeline {
    /** This project's job: MySQL binlog to the processed zone (and the raw zone), times in WIB, failed events kept. */
    OURS,
    /** The Flink SQL job a user would write instead: the mysql-cdc table inserted into a Hudi table. */
    PLAIN,
    /** The source alone into a sink that only counts: what reading the binlog costs. */
    CEILING;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean writesLake() {
        return this != CEILING;
    }
}
