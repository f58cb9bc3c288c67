package io.lakehousecdc.warehouse;

import io.lakehousecdc.core.ChangeOp;

import java.time.LocalDateTime;
import java.util.Map;

/**
 * One row of the raw-zone change log.
 *
 * @param op what happened; a delete carries the row as it was before
 * @param seq the source position ({@code _cdc_seq}), strictly increasing per key
 * @param commitTime the source commit time in WIB ({@code _cdc_ts})
 * @param values the source columns by lake name, as Java values (String, Boolean, Byte, Short,
 *     Integer, Long, Float, Double, BigDecimal, LocalDate, LocalTime, LocalDateTime, Instant, byte[])
 */
public record ChangeRow(ChangeOp op, long seq, LocalDateTime commitTime, Map<String, Object> values) {

    /** The code stored in {@code _cdc_op}: r, c, u or d. */
    public String opCode() {
        return op.codeData().toString();
    }
}
