package io.lakehousecdc.warehouse;

import java.util.List;

/**
 * What applying one batch did.
 *
 * @param applied the models the batch changed
 * @param skipped the models that had this instant already
 * @param refreshed the reports recomputed
 */
public record ApplyResult(String lakeTable, String instant, List<String> applied, List<String> skipped, List<String> refreshed) {}
