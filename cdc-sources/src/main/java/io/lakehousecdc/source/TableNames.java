package io.lakehousecdc.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The names of the tables in a database or schema, read from a source's catalog. */
public final class TableNames {

    private TableNames() {}

    /** The first column of every row of {@code sql}, which takes the database or schema as its one parameter. */
    public static List<String> read(Connection connection, String sql, String namespace) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, namespace);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }
}
