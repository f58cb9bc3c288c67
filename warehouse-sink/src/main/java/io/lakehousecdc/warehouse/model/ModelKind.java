package io.lakehousecdc.warehouse.model;

/** What a model keeps in the warehouse and how a lake change reaches it. */
public enum ModelKind {
    /** A dimension upserted in place by its natural key; deletes delete or flag the row. */
    SCD1_DIMENSION,
    /** A dimension keeping one row per version of each natural key, in source order. */
    SCD2_DIMENSION,
    /** Measures plus the surrogate keys of the dimension versions valid at the fact's time. */
    FACT,
    /** An aggregate over other models' tables, recomputed after each batch that changed them. */
    REPORT;

    public boolean isDimension() {
        return this == SCD1_DIMENSION || this == SCD2_DIMENSION;
    }
}
