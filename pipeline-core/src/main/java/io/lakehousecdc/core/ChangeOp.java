package io.lakehousecdc.core;

import org.apache.flink.table.data.StringData;

/** What happened to a row, with the code stored in the lake's {@code _cdc_op} column. */
public enum ChangeOp {
    SNAPSHOT("r"),
    INSERT("c"),
    UPDATE("u"),
    DELETE("d");

    private final StringData codeData;

    ChangeOp(String code) {
        this.codeData = StringData.fromString(code);
    }

    /** The code as Flink string data, shared so that rows need not allocate it. */
    public StringData codeData() {
        return codeData;
    }

    /** The operation whose code {@code code} is, as read back from {@code _cdc_op}. */
    public static ChangeOp ofCode(StringData code) {
        for (ChangeOp op : values()) {
            if (op.codeData.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("'" + code + "' is not a change operation code: expected r, c, u or d");
    }
}
