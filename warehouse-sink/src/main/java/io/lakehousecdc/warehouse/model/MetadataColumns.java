package io.lakehousecdc.warehouse.model;

import java.util.List;

/** Columns the warehouse adds to the models' tables; no model column may take these names. */
public final class MetadataColumns {

    /** Of dimensions: a placeholder row created for a fact whose dimension row had not arrived. */
    public static final String IS_INFERRED = "is_inferred";
    /** Of SCD1 dimensions with {@code on-delete: flag}. */
    public static final String IS_DELETED = "is_deleted";
    /** Of SCD2 dimensions: the version's validity, [valid_from, valid_to), and its number. */
    public static final String VALID_FROM = "valid_from";
    public static final String VALID_TO = "valid_to";
    public static final String IS_CURRENT = "is_current";
    public static final String VERSION = "version";
    /** The source position of the change a row holds (SCD2: that opened the version). */
    public static final String SEQ = "_cdc_seq";
    /** Of SCD2 dimensions: the last change merged into the version, and the delete that closed it. */
    public static final String LAST_SEQ = "_cdc_last_seq";
    public static final String LAST_TS = "_cdc_last_ts";
    public static final String END_SEQ = "_cdc_end_seq";

    static final List<String> ALL = List.of(
            IS_INFERRED, IS_DELETED, VALID_FROM, VALID_TO, IS_CURRENT, VERSION, SEQ, LAST_SEQ, LAST_TS, END_SEQ,
            "_cdc_op", "_cdc_ts", "_cdc_source", "_ingested_at");

    private MetadataColumns() {}
}
