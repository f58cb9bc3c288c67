package io.lakehousecdc.lake;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.types.RowKind;

import java.time.LocalDate;

/**
 * Appends the WIB day of a change's commit time to its lake row, as an insert whatever the
 * change was: the raw zone keeps deletes as rows. The row itself is not copied, and the day's
 * text is made once per day, not once per change.
 */
final class ChangeDay implements MapFunction<RowData, RowData> {
    private static final long serialVersionUID = 1L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final int commitTimeIndex;
    private transient long cachedDay = Long.MIN_VALUE;
    private transient RowData cachedDayRow;

    /** @param commitTimeIndex the position of {@code _cdc_ts}, a WIB wall-clock TIMESTAMP(3) */
    ChangeDay(int commitTimeIndex) {
        this.commitTimeIndex = commitTimeIndex;
    }

    @Override
    public RowData map(RowData row) {
        // The lake's timestamps are WIB wall-clock values stored as if UTC: whole days of epoch millis are WIB days.
        long day = Math.floorDiv(row.getTimestamp(commitTimeIndex, 3).getMillisecond(), MILLIS_PER_DAY);
        if (day != cachedDay || cachedDayRow == null) {
            cachedDayRow = GenericRowData.of(StringData.fromString(LocalDate.ofEpochDay(day).toString()));
            cachedDay = day;
        }
        return new JoinedRowData(RowKind.INSERT, row, cachedDayRow);
    }
}
