package io.lakehousecdc.source.dms;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvRecordsTest {

    private static List<String[]> read(String csv) throws IOException {
        CsvRecords records = new CsvRecords(new StringReader(csv));
        List<String[]> out = new ArrayList<>();
        for (String[] r = records.next(); r != null; r = records.next()) {
            out.add(r);
        }
        return out;
    }

    @Test
    void emptyUnquotedIsNullAndQuotedEmptyIsEmpty() throws IOException {
        assertThat(read("I,1,,\"\",x\n")).singleElement().satisfies(r -> assertThat(r).containsExactly("I", "1", null, "", "x"));
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() throws IOException {
        List<String[]> rows = read("1,\"a, \"\"b\"\"\nc\",2\r\n3,d,4");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("1", "a, \"b\"\nc", "2");
        assertThat(rows.get(1)).containsExactly("3", "d", "4");
    }

    @Test
    void recordsKnowTheLineTheyStartOn() throws IOException {
        CsvRecords records = new CsvRecords(new StringReader("a\n\"x\ny\"\nb\n"));
        records.next();
        assertThat(records.position()).isEqualTo(1);
        records.next();
        assertThat(records.position()).isEqualTo(2);
        records.next();
        assertThat(records.position()).isEqualTo(4);
        assertThat(records.next()).isNull();
    }

    @Test
    void anUnclosedQuoteIsAnError() {
        assertThatThrownBy(() -> read("1,\"open\n")).hasMessageContaining("line 1").hasMessageContaining("not closed");
    }
}
