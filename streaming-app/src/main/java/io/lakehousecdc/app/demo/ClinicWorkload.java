package io.lakehousecdc.app.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small healthcare-style source in MySQL/MariaDB (patients, doctors, consultations,
 * prescriptions) and a steady mix of inserts, updates and deletes against it. DATETIME columns
 * hold clinic wall-clock times, TIMESTAMP columns instants; decimals and nullable columns are
 * exercised, and updates move consultations across days (their partition column).
 */
public final class ClinicWorkload implements AutoCloseable {

    public static final List<String> TABLES = List.of("doctors", "patients", "consultations", "prescriptions");

    private static final String[] SPECIALTIES = {"general", "pediatrics", "cardiology", "dermatology", null};
    private static final String[] DRUGS = {"paracetamol", "amoxicillin", "ibuprofen", "cetirizine", "omeprazole"};
    private static final String[] STATUSES = {"scheduled", "done", "cancelled"};
    private static final String INSERT_CONSULTATION = "INSERT INTO consultations"
            + " (patient_id, doctor_id, started_at, status, fee, notes, duration_min, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_CONSULTATION = "UPDATE consultations SET status = ?, fee = fee + 1.25,"
            + " started_at = started_at + INTERVAL ? HOUR, duration_min = ?, revision = ? WHERE id = ?";

    private final Connection connection;
    private final String database;
    private final Random random = new Random(7);
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final Map<String, Long> maxIds = new LinkedHashMap<>();
    /** Stamped into consultations by every change to them, so a reader can tell how far it has seen. */
    private long revision;
    private final LiveIds consultationIds = new LiveIds();
    private PreparedStatement[] changeStatements;

    private ClinicWorkload(Connection connection, String database) {
        this.connection = connection;
        this.database = database;
    }

    /** Connects as a user that may create databases; {@code database} is dropped and created anew. */
    public static ClinicWorkload create(String jdbcUrl, String user, String password, String database) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        ClinicWorkload workload = new ClinicWorkload(connection, database);
        workload.createSchema();
        return workload;
    }

    private void createSchema() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS `" + database + "`");
            st.execute("CREATE DATABASE `" + database + "`");
            st.execute("USE `" + database + "`");
            st.execute("CREATE TABLE doctors (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                    + " specialty VARCHAR(60) NULL, fee DECIMAL(10,2) NOT NULL, joined_on DATE NOT NULL,"
                    + " created_at DATETIME(3) NOT NULL,"
                    + " updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3))");
            st.execute("CREATE TABLE patients (id BIGINT AUTO_INCREMENT PRIMARY KEY, full_name VARCHAR(120) NOT NULL,"
                    + " birth_date DATE NULL, phone VARCHAR(30) NULL, active TINYINT(1) NOT NULL DEFAULT 1,"
                    + " registered_at DATETIME NOT NULL,"
                    + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))");
            st.execute("CREATE TABLE consultations (id BIGINT AUTO_INCREMENT PRIMARY KEY, patient_id BIGINT NOT NULL,"
                    + " doctor_id INT NOT NULL, started_at DATETIME NOT NULL,"
                    + " status ENUM('scheduled','done','cancelled') NOT NULL, fee DECIMAL(12,2) NULL, notes TEXT NULL,"
                    + " duration_min SMALLINT NULL, revision BIGINT NOT NULL,"
                    + " updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)");
            st.execute("CREATE TABLE prescriptions (id BIGINT AUTO_INCREMENT PRIMARY KEY, consultation_id BIGINT NOT NULL,"
                    + " drug VARCHAR(80) NOT NULL, dose_mg DECIMAL(8,2) NOT NULL, quantity INT UNSIGNED NOT NULL,"
                    + " refillable BOOLEAN NOT NULL, prescribed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))");
        }
    }

    /** Inserts {@code rows} rows into each table. */
    public void seed(int rows) throws SQLException {
        connection.setAutoCommit(false);
        for (int i = 0; i < rows; i++) {
            insertDoctor();
            insertPatient();
        }
        for (int i = 0; i < rows; i++) {
            insertConsultation();
            insertPrescription();
        }
        connection.commit();
        connection.setAutoCommit(true);
        inserts.set(0);
    }

    /** One random change: about 55% inserts, 35% updates, 10% deletes. */
    public void step() throws SQLException {
        int dice = random.nextInt(100);
        if (dice < 55) {
            switch (random.nextInt(4)) {
                case 0 -> insertPatient();
                case 1 -> insertDoctor();
                case 2 -> insertConsultation();
                default -> insertPrescription();
            }
        } else if (dice < 90) {
            switch (random.nextInt(3)) {
                case 0 -> update(UPDATE_CONSULTATION, "consultations", consultationChange());
                case 1 -> update("UPDATE patients SET phone = ?, active = ? WHERE id = ?", "patients",
                        random.nextBoolean() ? null : "+62-81-" + random.nextInt(10_000_000), random.nextInt(2));
                default -> update("UPDATE doctors SET fee = fee * 1.05, specialty = ? WHERE id = ?", "doctors",
                        SPECIALTIES[random.nextInt(SPECIALTIES.length)]);
            }
        } else {
            String table = random.nextBoolean() ? "prescriptions" : "consultations";
            deleteRandom(table);
        }
    }

    private void insertDoctor() throws SQLException {
        insert("INSERT INTO doctors (name, specialty, fee, joined_on, created_at) VALUES (?, ?, ?, ?, ?)", "doctors",
                "dr. " + name(), SPECIALTIES[random.nextInt(SPECIALTIES.length)],
                new BigDecimal(random.nextInt(500_000) + 50_000).movePointLeft(2),
                LocalDate.of(2015, 1, 1).plusDays(random.nextInt(3000)),
                LocalDateTime.now().withNano(random.nextInt(1000) * 1_000_000));
    }

    private void insertPatient() throws SQLException {
        insert("INSERT INTO patients (full_name, birth_date, phone, registered_at) VALUES (?, ?, ?, ?)", "patients",
                name(), random.nextInt(10) == 0 ? null
                        : LocalDate.of(1950, 1, 1).plusDays(random.nextInt(25_000)),
                random.nextInt(4) == 0 ? null : "+62-21-" + random.nextInt(10_000_000),
                LocalDateTime.now().minusMinutes(random.nextInt(100_000)).withNano(0));
    }

    private void insertConsultation() throws SQLException {
        insert(INSERT_CONSULTATION, "consultations", consultation());
    }

    /** Values of a new consultation, in the order of {@link #INSERT_CONSULTATION}. */
    private Object[] consultation() {
        // Clinic hours in UTC wall-clock time straddle midnight WIB, so rows land on both WIB days.
        LocalDateTime started = LocalDateTime.now().minusDays(random.nextInt(5)).withHour(14 + random.nextInt(6))
                .withMinute(random.nextInt(60)).withSecond(0).withNano(0);
        return new Object[] {1 + random.nextInt(Math.max(1, maxIds.getOrDefault("patients", 1L).intValue())),
                1 + random.nextInt(Math.max(1, maxIds.getOrDefault("doctors", 1L).intValue())),
                started, STATUSES[random.nextInt(STATUSES.length)],
                random.nextInt(5) == 0 ? null : new BigDecimal(random.nextInt(2_000_000) + 10_000).movePointLeft(2),
                random.nextInt(3) == 0 ? null : "follow-up in " + (1 + random.nextInt(14)) + " days",
                random.nextInt(4) == 0 ? null : (short) (5 + random.nextInt(55)),
                ++revision};
    }

    /** Values of a consultation update, in the order of {@link #UPDATE_CONSULTATION} without its id. */
    private Object[] consultationChange() {
        return new Object[] {STATUSES[random.nextInt(STATUSES.length)], random.nextInt(48) - 24,
                (short) (5 + random.nextInt(55)), ++revision};
    }

    /**
     * Inserts {@code rows} consultations in large batches (the benchmark's table) and remembers
     * their ids for {@link #changeConsultations}. Fast only with {@code rewriteBatchedStatements=true}
     * on the JDBC URL.
     */
    public void seedConsultations(int rows) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement st = connection.prepareStatement(INSERT_CONSULTATION)) {
            for (int i = 1; i <= rows; i++) {
                bind(st, consultation());
                st.addBatch();
                if (i % 5_000 == 0 || i == rows) {
                    st.executeBatch();
                    connection.commit();
                }
            }
        }
        try (Statement st = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE); // stream the ids instead of buffering the whole result
            try (ResultSet rs = st.executeQuery("SELECT id FROM consultations")) {
                while (rs.next()) {
                    consultationIds.add(rs.getLong(1));
                }
            }
        }
        connection.commit();
    }

    /**
     * Applies {@code count} changes to consultations in one transaction, by primary key: half
     * inserts, 40% updates, 10% deletes. Every change takes the next revision, deletes too; the
     * last change is never a delete, so the transaction's newest revision shows in the table.
     *
     * @return the revision of the last change
     */
    public long changeConsultations(int count) throws SQLException {
        if (changeStatements == null) {
            connection.setAutoCommit(false);
            changeStatements = new PreparedStatement[] {
                connection.prepareStatement(INSERT_CONSULTATION, Statement.RETURN_GENERATED_KEYS),
                connection.prepareStatement(UPDATE_CONSULTATION),
                connection.prepareStatement("DELETE FROM consultations WHERE id = ?")};
        }
        for (int i = 0; i < count; i++) {
            int dice = random.nextInt(10);
            if (dice < 5 || consultationIds.size() == 0) {
                PreparedStatement insert = changeStatements[0];
                bind(insert, consultation());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    consultationIds.add(keys.getLong(1));
                }
                inserts.incrementAndGet();
            } else if (dice < 9 || i == count - 1) {
                PreparedStatement update = changeStatements[1];
                Object[] values = consultationChange();
                bind(update, values);
                update.setLong(values.length + 1, consultationIds.pick(random));
                update.executeUpdate();
                updates.incrementAndGet();
            } else {
                PreparedStatement delete = changeStatements[2];
                delete.setLong(1, consultationIds.remove(random));
                delete.executeUpdate();
                ++revision;
                deletes.incrementAndGet();
            }
        }
        connection.commit();
        return revision;
    }

    /** The revision of the latest change to consultations. */
    public long revision() {
        return revision;
    }

    private void insertPrescription() throws SQLException {
        insert("INSERT INTO prescriptions (consultation_id, drug, dose_mg, quantity, refillable) VALUES (?, ?, ?, ?, ?)",
                "prescriptions", 1 + random.nextInt(Math.max(1, maxIds.getOrDefault("consultations", 1L).intValue())),
                DRUGS[random.nextInt(DRUGS.length)], new BigDecimal(random.nextInt(100_000) + 100).movePointLeft(2),
                1 + random.nextInt(30), random.nextBoolean());
    }

    private void insert(String sql, String table, Object... values) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(st, values);
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                if (keys.next()) {
                    maxIds.merge(table, keys.getLong(1), Math::max);
                }
            }
        }
        inserts.incrementAndGet();
    }

    /** Updates a random existing row; {@code values} bind before the trailing id parameter. */
    private void update(String sql, String table, Object... values) throws SQLException {
        Long id = randomId(table);
        if (id == null) {
            return;
        }
        Object[] all = Arrays.copyOf(values, values.length + 1);
        all[values.length] = id;
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            bind(st, all);
            if (st.executeUpdate() > 0) {
                updates.incrementAndGet();
            }
        }
    }

    private void deleteRandom(String table) throws SQLException {
        Long id = randomId(table);
        if (id == null) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            st.setLong(1, id);
            if (st.executeUpdate() > 0) {
                deletes.incrementAndGet();
            }
        }
    }

    private Long randomId(String table) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT id FROM " + table + " WHERE id >= ? ORDER BY id LIMIT 1")) {
            st.setLong(1, 1 + (long) random.nextInt(Math.max(1, maxIds.getOrDefault(table, 1L).intValue())));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void bind(PreparedStatement st, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            st.setObject(i + 1, values[i]);
        }
    }

    private String name() {
        String[] first = {"Ayu", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hadi", "Indra", "Joko"};
        String[] last = {"Santoso", "Wijaya", "Pratama", "Lestari", "Saputra", "Hidayat", "Kusuma", "Nugroho"};
        return first[random.nextInt(first.length)] + " " + last[random.nextInt(last.length)];
    }

    /** Current row count of each table. */
    public Map<String, Long> counts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement st = connection.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    /** The fees of all consultations, summed (nulls count as nothing). */
    public BigDecimal consultationRevenue() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(fee), 0) FROM consultations")) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }

    public long inserts() {
        return inserts.get();
    }

    public long updates() {
        return updates.get();
    }

    public long deletes() {
        return deletes.get();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** Ids of existing rows, picked at random without asking the database. */
    private static final class LiveIds {
        private long[] ids = new long[1024];
        private int size;

        void add(long id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        int size() {
            return size;
        }

        long pick(Random random) {
            return ids[random.nextInt(size)];
        }

        long remove(Random random) {
            int at = random.nextInt(size);
            long id = ids[at];
            ids[at] = ids[--size];
            return id;
        }
    }
}
