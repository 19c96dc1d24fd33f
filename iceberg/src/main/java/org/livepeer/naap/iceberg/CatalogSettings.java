package org.livepeer.naap.iceberg;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogDescriptor;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkCatalogFactory;
import org.apache.iceberg.flink.TableLoader;

/**
 * Which Iceberg catalog the archive lives in: a catalog name and Iceberg's own catalog properties,
 * exactly as Iceberg (and Spark, Trino's REST/JDBC setups) spell them: {@code type} = {@code
 * hadoop}, {@code hive}, {@code rest} or {@code jdbc}, or {@code catalog-impl} = a {@code Catalog}
 * class; then {@code warehouse}, {@code uri}, {@code jdbc.user}, {@code io-impl}, {@code s3.*} and
 * so on, all passed through unchanged.
 *
 * <p>From these it builds the {@link CatalogLoader} the sinks use and registers the same catalog in
 * a Flink {@link TableEnvironment} under {@link #name()}, so SQL sees {@code naap.raw_events}. The
 * settings are checked when built: a missing or contradictory option fails with a message that says
 * what to set.
 *
 * @param name the catalog name, also the Flink SQL catalog name
 * @param properties Iceberg catalog properties
 */
public record CatalogSettings(String name, Map<String, String> properties) implements Serializable {

    /** The catalog name of the embedded default, so SQL reads {@code iceberg.naap.raw_events}. */
    public static final String DEFAULT_NAME = "iceberg";

    public static final String TYPE = CatalogUtil.ICEBERG_CATALOG_TYPE;
    public static final String CATALOG_IMPL = CatalogProperties.CATALOG_IMPL;
    public static final String WAREHOUSE = CatalogProperties.WAREHOUSE_LOCATION;
    public static final String URI = CatalogProperties.URI;

    /**
     * Flink's spelling of the catalog type, which must not be mixed with Iceberg's {@code type}.
     */
    private static final String FLINK_CATALOG_TYPE = FlinkCatalogFactory.ICEBERG_CATALOG_TYPE;

    private static final Pattern SECRET_KEY =
            Pattern.compile(".*(password|secret|token|credential).*", Pattern.CASE_INSENSITIVE);

    private static final String HIVE_CLIENT_CLASS =
            "org.apache.hadoop.hive.metastore.IMetaStoreClient";

    /** The catalog kinds this class understands. */
    public enum Kind {
        HADOOP,
        HIVE,
        REST,
        JDBC,
        /** Any other catalog, named by its class in {@code catalog-impl}. */
        CUSTOM
    }

    public CatalogSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "Iceberg catalog name is empty: give the catalog a name (it is also the Flink"
                            + " SQL catalog name), for example '"
                            + DEFAULT_NAME
                            + "'");
        }
        Objects.requireNonNull(properties, "properties");
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException(
                        "Iceberg catalog '" + name + "': property " + e.getKey() + " has no value");
            }
        }
        properties = Map.copyOf(properties);
        kindOf(name, properties);
    }

    /**
     * The embedded default: a Hadoop catalog in a local warehouse directory. Iceberg stores
     * absolute paths in its metadata, so the directory cannot be moved once written.
     */
    public static CatalogSettings localHadoop(Path warehouse) {
        // Path.toUri() ends in '/' only when the directory already exists; Iceberg does not care,
        // but the settings should not depend on it.
        String location = warehouse.toAbsolutePath().normalize().toUri().toString();
        if (location.endsWith("/")) {
            location = location.substring(0, location.length() - 1);
        }
        return new CatalogSettings(DEFAULT_NAME, Map.of(TYPE, "hadoop", WAREHOUSE, location));
    }

    /**
     * Settings from the entries of a flat configuration whose keys start with {@code prefix}, with
     * the prefix removed: {@code prefix="iceberg.catalog."} turns {@code iceberg.catalog.type=rest}
     * into {@code type=rest}.
     */
    public static CatalogSettings fromPrefixed(
            String name, Map<String, String> configuration, String prefix) {
        Map<String, String> properties = new HashMap<>();
        configuration.forEach(
                (key, value) -> {
                    if (key.startsWith(prefix) && key.length() > prefix.length()) {
                        properties.put(key.substring(prefix.length()), value);
                    }
                });
        if (properties.isEmpty()) {
            throw new IllegalArgumentException(
                    "No Iceberg catalog options found under '"
                            + prefix
                            + "': set at least "
                            + prefix
                            + TYPE
                            + " (hadoop, hive, rest or jdbc) and what it needs, e.g. "
                            + prefix
                            + WAREHOUSE);
        }
        return new CatalogSettings(name, properties);
    }

    public Kind kind() {
        return kindOf(name, properties);
    }

    /**
     * A serializable loader of this catalog, for sinks and sources to open on the task managers.
     */
    public CatalogLoader catalogLoader() {
        // The same Hadoop configuration Iceberg's Flink SQL catalog factory uses, so the sinks
        // and SQL see the same file systems.
        org.apache.hadoop.conf.Configuration hadoopConf = FlinkCatalogFactory.clusterHadoopConf();
        Map<String, String> icebergProperties = new HashMap<>(properties);
        switch (kind()) {
            case HADOOP:
                return CatalogLoader.hadoop(name, hadoopConf, icebergProperties);
            case HIVE:
                return CatalogLoader.hive(name, hadoopConf, icebergProperties);
            case REST:
                return CatalogLoader.rest(name, hadoopConf, icebergProperties);
            case JDBC:
                icebergProperties.remove(TYPE);
                return CatalogLoader.custom(
                        name, icebergProperties, hadoopConf, CatalogUtil.ICEBERG_CATALOG_JDBC);
            case CUSTOM:
            default:
                return CatalogLoader.custom(
                        name, icebergProperties, hadoopConf, properties.get(CATALOG_IMPL));
        }
    }

    /** A loader of one table of this catalog; what the Iceberg sink is given, never a Table. */
    public TableLoader tableLoader(TableIdentifier table) {
        return TableLoader.fromCatalog(catalogLoader(), table);
    }

    /**
     * Opens the catalog, applies {@code work} and closes the catalog again (REST, JDBC and Hive
     * catalogs hold connections).
     */
    public <R> R withCatalog(Function<Catalog, R> work) {
        Catalog catalog = catalogLoader().loadCatalog();
        try {
            return work.apply(catalog);
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing only releases connections; the work itself has succeeded or thrown
                }
            }
        }
    }

    /**
     * The options of a Flink SQL {@code CREATE CATALOG ... WITH (...)} for this catalog: Flink's
     * {@code type} is {@code iceberg}, so Iceberg's type moves to {@code catalog-type}, or, for
     * JDBC, which Flink's factory does not know by name, to {@code catalog-impl}.
     */
    public Map<String, String> flinkCatalogOptions() {
        Map<String, String> options = new TreeMap<>(properties);
        options.remove(TYPE);
        options.put(TYPE, FlinkCatalogFactory.FACTORY_IDENTIFIER);
        Kind kind = kind();
        switch (kind) {
            case HADOOP:
            case HIVE:
            case REST:
                options.put(FLINK_CATALOG_TYPE, kind.name().toLowerCase(Locale.ROOT));
                break;
            case JDBC:
                options.put(CATALOG_IMPL, CatalogUtil.ICEBERG_CATALOG_JDBC);
                break;
            case CUSTOM:
            default:
                break;
        }
        return options;
    }

    /**
     * Registers this catalog in the table environment under {@link #name()}. Queries then name
     * tables {@code <name>.naap.raw_events}, or {@code naap.raw_events} after {@code USE CATALOG}.
     */
    public void register(TableEnvironment tableEnvironment) {
        tableEnvironment.createCatalog(
                name, CatalogDescriptor.of(name, Configuration.fromMap(flinkCatalogOptions())));
    }

    /** Registers this catalog and makes it the current one, so SQL can say naap.raw_events. */
    public void registerAndUse(TableEnvironment tableEnvironment) {
        register(tableEnvironment);
        tableEnvironment.useCatalog(name);
    }

    /** The settings with secrets (passwords, tokens, credentials) masked. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach(
                (key, value) -> shown.put(key, SECRET_KEY.matcher(key).matches() ? "****" : value));
        return "CatalogSettings{name=" + name + ", properties=" + shown + "}";
    }

    private static Kind kindOf(String name, Map<String, String> properties) {
        String where = "Iceberg catalog '" + name + "'";
        if (properties.containsKey(FLINK_CATALOG_TYPE)) {
            throw new IllegalArgumentException(
                    where
                            + ": '"
                            + FLINK_CATALOG_TYPE
                            + "' is the Flink SQL spelling; give Iceberg's '"
                            + TYPE
                            + "' instead (hadoop, hive, rest or jdbc)");
        }
        String type = nonBlank(properties.get(TYPE));
        String impl = nonBlank(properties.get(CATALOG_IMPL));
        if (type != null && impl != null) {
            throw new IllegalArgumentException(
                    where
                            + " sets both '"
                            + TYPE
                            + "' ("
                            + type
                            + ") and '"
                            + CATALOG_IMPL
                            + "' ("
                            + impl
                            + "): keep one, 'type' for a built-in catalog, 'catalog-impl' for any"
                            + " other Catalog class");
        }
        if (impl != null) {
            return Kind.CUSTOM;
        }
        if (type == null) {
            throw new IllegalArgumentException(
                    where
                            + " has neither '"
                            + TYPE
                            + "' nor '"
                            + CATALOG_IMPL
                            + "': set 'type' to hadoop, hive, rest or jdbc, or 'catalog-impl' to"
                            + " the class of another Iceberg Catalog");
        }
        switch (type.toLowerCase(Locale.ROOT)) {
            case CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP:
                require(
                        where + " (type=hadoop)",
                        properties,
                        WAREHOUSE,
                        "the directory or object-store URI that holds the tables, for example"
                                + " file:///var/lib/naap/warehouse or s3a://bucket/warehouse");
                return Kind.HADOOP;
            case CatalogUtil.ICEBERG_CATALOG_TYPE_REST:
                require(
                        where + " (type=rest)",
                        properties,
                        URI,
                        "the REST catalog endpoint, for example http://iceberg-rest:8181");
                return Kind.REST;
            case CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC:
                String uri =
                        require(
                                where + " (type=jdbc)",
                                properties,
                                URI,
                                "a JDBC URL, for example jdbc:postgresql://db:5432/iceberg");
                if (!uri.startsWith("jdbc:")) {
                    throw new IllegalArgumentException(
                            where
                                    + " (type=jdbc): 'uri' must be a JDBC URL starting with"
                                    + " 'jdbc:', was '"
                                    + uri
                                    + "'");
                }
                require(
                        where + " (type=jdbc)",
                        properties,
                        WAREHOUSE,
                        "where table files go, for example s3a://bucket/warehouse");
                return Kind.JDBC;
            case CatalogUtil.ICEBERG_CATALOG_TYPE_HIVE:
                requireHiveClient(where);
                return Kind.HIVE;
            default:
                throw new IllegalArgumentException(
                        where
                                + ": unknown type '"
                                + type
                                + "'; use hadoop, hive, rest or jdbc, or set 'catalog-impl' to"
                                + " the class of another Iceberg Catalog (and no 'type')");
        }
    }

    private static String require(
            String where, Map<String, String> properties, String key, String what) {
        String value = nonBlank(properties.get(key));
        if (value == null) {
            throw new IllegalArgumentException(where + " needs '" + key + "': " + what);
        }
        return value;
    }

    private static void requireHiveClient(String where) {
        try {
            Class.forName(HIVE_CLIENT_CLASS, false, CatalogSettings.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(
                    where
                            + " (type=hive) needs the Hive metastore client on the classpath"
                            + " (org.apache.hive:hive-metastore), which the job jar does not ship;"
                            + " add it, or use a rest or jdbc catalog");
        }
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
