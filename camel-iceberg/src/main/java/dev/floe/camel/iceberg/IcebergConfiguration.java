package dev.floe.camel.iceberg;

import java.util.HashMap;
import java.util.Map;

import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.iceberg.catalog.Catalog;

@Configurer
@UriParams
public class IcebergConfiguration implements Cloneable {

    static final String DEFAULT_INFERRED_COLUMN_PATTERN = "[A-Za-z0-9_][A-Za-z0-9_-]{0,127}";

    @UriParam
    @Metadata(autowired = true)
    private Catalog catalog;
    @UriParam(defaultValue = "iceberg")
    private String catalogName = "iceberg";
    @UriParam(prefix = "catalog.", multiValue = true)
    private Map<String, Object> catalogProperties = new HashMap<>();
    @UriParam(label = "security", secret = true)
    private String credential;
    @UriParam(label = "security", secret = true)
    private String token;
    @UriParam(label = "health", defaultValue = "5000")
    private long healthCheckTimeout = 5000;
    @UriParam(defaultValue = "true")
    private boolean autoCreateTable = true;
    @UriParam(prefix = "table.", multiValue = true)
    private Map<String, Object> tableProperties = new HashMap<>();
    @UriParam
    private String partitionSpec;
    @UriParam
    private Long targetFileSizeBytes;
    @UriParam(enums = "envelope,inferred,declared", defaultValue = "envelope")
    private String schemaMode = "envelope";
    @UriParam
    private String declaredSchema;
    @UriParam(defaultValue = "true")
    private boolean dedup = true;
    @UriParam(defaultValue = "0")
    private long dedupWindowSeconds;
    @UriParam(defaultValue = "33554432")
    private long dedupWindowBytes = 32L * 1024 * 1024;
    @UriParam(enums = "append,upsert", defaultValue = "append")
    private String writeMode = "append";
    @UriParam
    private String identifierFields;
    @UriParam(enums = "append,validate,expireSnapshots,rewriteManifests,compact,removeOrphanFiles,stats", defaultValue = "append")
    private String operation = "append";
    @UriParam(label = "maintenance", defaultValue = "86400000")
    private long maxSnapshotAgeMs = 86_400_000L;
    @UriParam(label = "maintenance", defaultValue = "500")
    private int maxSnapshots = 500;
    @UriParam(label = "maintenance", defaultValue = "10000")
    private long minSnapshotAgeMs = 10_000L;
    @UriParam(label = "maintenance", defaultValue = "20")
    private int maxManifests = 20;
    @UriParam(label = "maintenance", defaultValue = "86400000")
    private long orphanMinAgeMs = 86_400_000L;
    @UriParam(label = "maintenance", defaultValue = "false")
    private boolean dryRun;
    @UriParam(label = "maintenance", defaultValue = "5")
    private int minInputFiles = 5;
    @UriParam(label = "maintenance", defaultValue = "1073741824")
    private long maxCompactionBytes = 1024L * 1024 * 1024;
    @UriParam(label = "advanced", defaultValue = "100000")
    private int maxGroupRows = 100_000;
    @UriParam(defaultValue = "0")
    private long commitLingerMs;
    @UriParam(label = "advanced", defaultValue = "5")
    private int commitRetries = 5;
    @UriParam(label = "advanced", defaultValue = "200")
    private long commitRetryDelay = 200;
    @UriParam(label = "advanced", defaultValue = "60000")
    private long commitReconcileTimeout = 60_000;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_ATTRIBUTE_BYTES)
    private int maxAttributeBytes = CloudEventLimits.DEFAULT_MAX_ATTRIBUTE_BYTES;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_EXTENSIONS)
    private int maxExtensions = CloudEventLimits.DEFAULT_MAX_EXTENSIONS;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_ATTRIBUTES_BYTES)
    private int maxAttributesBytes = CloudEventLimits.DEFAULT_MAX_ATTRIBUTES_BYTES;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_DATA_BASE64_LENGTH)
    private int maxDataBase64Length = CloudEventLimits.DEFAULT_MAX_DATA_BASE64_LENGTH;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_JSON_DEPTH)
    private int maxJsonDepth = CloudEventLimits.DEFAULT_MAX_JSON_DEPTH;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_JSON_STRING_LENGTH)
    private int maxJsonStringLength = CloudEventLimits.DEFAULT_MAX_JSON_STRING_LENGTH;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_JSON_NUMBER_LENGTH)
    private int maxJsonNumberLength = CloudEventLimits.DEFAULT_MAX_JSON_NUMBER_LENGTH;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_JSON_NAME_LENGTH)
    private int maxJsonNameLength = CloudEventLimits.DEFAULT_MAX_JSON_NAME_LENGTH;
    @UriParam(label = "limits", defaultValue = "" + CloudEventLimits.DEFAULT_MAX_JSON_DOCUMENT_LENGTH)
    private long maxJsonDocumentLength = CloudEventLimits.DEFAULT_MAX_JSON_DOCUMENT_LENGTH;
    @UriParam(label = "limits", defaultValue = "500")
    private int maxInferredColumns = 500;
    @UriParam(label = "limits", defaultValue = DEFAULT_INFERRED_COLUMN_PATTERN)
    private String inferredColumnPattern = DEFAULT_INFERRED_COLUMN_PATTERN;

    public Catalog getCatalog() {
        return catalog;
    }

    /**
     * The Iceberg catalog to write through. When unset and autowiring is on, the only Catalog bean in the registry is
     * used; otherwise a catalog is built from the catalog properties (catalog.type and the like).
     */
    public void setCatalog(Catalog catalog) {
        this.catalog = catalog;
    }

    public String getCatalogName() {
        return catalogName;
    }

    /**
     * The name given to a catalog built from the catalog properties.
     */
    public void setCatalogName(String catalogName) {
        this.catalogName = catalogName;
    }

    public Map<String, Object> getCatalogProperties() {
        return catalogProperties;
    }

    /**
     * Iceberg catalog properties, passed unchanged to CatalogUtil.buildIcebergCatalog: catalog.type (rest, jdbc,
     * hadoop, glue, nessie) or catalog.catalog-impl, catalog.uri, catalog.warehouse, catalog.io-impl, catalog.s3.endpoint
     * and so on. One of type or catalog-impl is required when no Catalog bean is given (Iceberg would otherwise fall back
     * to Hive). catalog.catalog-impl=dev.floe.camel.iceberg.CachingJdbcCatalog is Iceberg's JDBC catalog (same tables
     * and SQL) whose tables keep what they commit instead of reading their metadata.json back. Local files are written
     * through ForklessLocalFileSystem, Hadoop's local file system without a chmod process per file. A REST catalog's
     * secrets are better given as the credential and token options.
     */
    public void setCatalogProperties(Map<String, Object> catalogProperties) {
        this.catalogProperties = catalogProperties;
    }

    public String getCredential() {
        return credential;
    }

    /**
     * The OAuth2 client credential of a REST catalog, as client_id:client_secret (Iceberg's catalog property
     * credential). Wins over a catalog.credential of the component's configuration. An endpoint URI with a credential
     * may hold no other parameter whose name contains credential (catalog.credential,
     * catalog.client.credentials-provider): Camel masks only the first such parameter when it prints a URI, so the
     * endpoint is refused; set the others on the component.
     */
    public void setCredential(String credential) {
        this.credential = credential;
    }

    public String getToken() {
        return token;
    }

    /**
     * A bearer token for a REST catalog (Iceberg's catalog property token). Wins over catalog.token when both are set.
     */
    public void setToken(String token) {
        this.token = token;
    }

    public long getHealthCheckTimeout() {
        return healthCheckTimeout;
    }

    /**
     * The producer health check reports DOWN when the catalog has not answered within this many milliseconds.
     */
    public void setHealthCheckTimeout(long healthCheckTimeout) {
        this.healthCheckTimeout = healthCheckTimeout;
    }

    public boolean isAutoCreateTable() {
        return autoCreateTable;
    }

    /**
     * Create the namespace and the table, with the default CloudEvents layout, when they do not exist.
     */
    public void setAutoCreateTable(boolean autoCreateTable) {
        this.autoCreateTable = autoCreateTable;
    }

    public Map<String, Object> getTableProperties() {
        return tableProperties;
    }

    /**
     * Iceberg table properties set when the table is created, for example table.format-version=2. Unless overridden,
     * Floe sets write.parquet.compression-codec=zstd, format-version=2, write.metadata.delete-after-commit.enabled=true
     * and write.metadata.previous-versions-max=100 (old metadata.json files are deleted, and a reader has about 100
     * commits' time to read the version it loaded), and turns Parquet's dictionary off for the id and kafka.offset
     * columns, whose values are unique (write.parquet.dict-encoding-enabled.column.id=false, the same for
     * kafka.offset).
     */
    public void setTableProperties(Map<String, Object> tableProperties) {
        this.tableProperties = tableProperties;
    }

    public String getPartitionSpec() {
        return partitionSpec;
    }

    /**
     * The partition spec of a table this endpoint creates, as comma-separated transforms: identity(col) or col,
     * year(col), month(col), day(col), hour(col), bucket(n, col), truncate(n, col). Unpartitioned when unset.
     */
    public void setPartitionSpec(String partitionSpec) {
        this.partitionSpec = partitionSpec;
    }

    public Long getTargetFileSizeBytes() {
        return targetFileSizeBytes;
    }

    /**
     * Roll to a new data file past this size. When unset the table's write.target-file-size-bytes applies. For
     * operation=compact, the size compaction packs small files into (unset: the table's write.target-file-size-bytes,
     * else 128 MiB); a file under 75% of it is small.
     */
    public void setTargetFileSizeBytes(Long targetFileSizeBytes) {
        this.targetFileSizeBytes = targetFileSizeBytes;
    }

    public String getSchemaMode() {
        return schemaMode;
    }

    /**
     * envelope: the lossless CloudEvents layout only. inferred: JSON object data also becomes typed columns in a
     * payload struct, inferred from the events and evolved as they change (new fields, int to long, float to double,
     * required to optional). declared: the payload struct is given by declaredSchema and never changes.
     */
    public void setSchemaMode(String schemaMode) {
        this.schemaMode = schemaMode;
    }

    public String getDeclaredSchema() {
        return declaredSchema;
    }

    /**
     * For schemaMode=declared: the payload's Iceberg schema as JSON (Iceberg's schema JSON, as SchemaParser writes
     * it), inline or as a resource: file:path or classpath:path.
     */
    public void setDeclaredSchema(String declaredSchema) {
        this.declaredSchema = declaredSchema;
    }

    public boolean isDedup() {
        return dedup;
    }

    /**
     * Write a CloudEvent once when the same source and id appear more than once in one commit.
     */
    public void setDedup(boolean dedup) {
        this.dedup = dedup;
    }

    public long getDedupWindowSeconds() {
        return dedupWindowSeconds;
    }

    /**
     * With dedup: also drop an event whose source and id the table took within this many seconds (a client retrying
     * after a lost acknowledgement, a broker redelivering, a retry that reaches another replica). One window per table
     * per process, shared by every endpoint, fed by the table itself: it reads the source and id of snapshots it did
     * not write (at start, the whole window), so it holds across restarts and replicas. 0 turns it off.
     */
    public void setDedupWindowSeconds(long dedupWindowSeconds) {
        this.dedupWindowSeconds = dedupWindowSeconds;
    }

    public long getDedupWindowBytes() {
        return dedupWindowBytes;
    }

    /**
     * The most memory the dedup window of a table may hold, in bytes (an event costs about 100 bytes plus twice the
     * length of its source and id); the oldest go first. The first endpoint to write a table sizes its window.
     */
    public void setDedupWindowBytes(long dedupWindowBytes) {
        this.dedupWindowBytes = dedupWindowBytes;
    }

    public String getWriteMode() {
        return writeMode;
    }

    /**
     * append: every row is added. upsert: a row replaces the row with the same identifierFields (equality delete plus
     * insert, format v2); a CloudEvent with extension op=d, or a Debezium change event with op d, deletes it. Debezium
     * change events (data with op and after/before) are unwrapped: after (or before, for deletes) is the row's data.
     */
    public void setWriteMode(String writeMode) {
        this.writeMode = writeMode;
    }

    public String getIdentifierFields() {
        return identifierFields;
    }

    /**
     * For writeMode=upsert: the comma-separated columns that identify a row, e.g. source,id or subject or payload.id
     * (a typed column from the data).
     */
    public void setIdentifierFields(String identifierFields) {
        this.identifierFields = identifierFields;
    }

    public String getOperation() {
        return operation;
    }

    /**
     * append: write the rows. validate: write nothing, only check that the rows fit the table (its typed columns and
     * their allowed evolution) and fail the exchange with IncompatibleSchemaException if not, so a route can reject
     * one bad event before it is batched with good ones. The maintenance operations run on the caller's thread and set
     * the body to a Map of figures (operation, table, outcome: done, nothing-to-do, skipped or conflict, and more):
     * expireSnapshots (by age and count, files no longer referenced deleted), rewriteManifests (clustered by
     * partition), compact (bin-pack small data files), removeOrphanFiles (files no metadata references), stats (the
     * table's health figures, read only).
     */
    public void setOperation(String operation) {
        this.operation = operation;
    }

    public int getMinInputFiles() {
        return minInputFiles;
    }

    /**
     * For operation=compact: a partition is compacted when it has at least this many small data files, or any delete
     * file.
     */
    public void setMinInputFiles(int minInputFiles) {
        this.minInputFiles = minInputFiles;
    }

    public long getMaxCompactionBytes() {
        return maxCompactionBytes;
    }

    /**
     * For operation=compact: the most bytes of data files one run rewrites; the rest waits for the next run.
     */
    public void setMaxCompactionBytes(long maxCompactionBytes) {
        this.maxCompactionBytes = maxCompactionBytes;
    }

    public long getMaxSnapshotAgeMs() {
        return maxSnapshotAgeMs;
    }

    /**
     * For operation=expireSnapshots: snapshots older than this many milliseconds are expired (the current one is always
     * kept), and the files only they referenced are deleted.
     */
    public void setMaxSnapshotAgeMs(long maxSnapshotAgeMs) {
        this.maxSnapshotAgeMs = maxSnapshotAgeMs;
    }

    public int getMaxSnapshots() {
        return maxSnapshots;
    }

    /**
     * For operation=expireSnapshots: a cap on the snapshots kept. Snapshots beyond the newest this many are expired
     * even if they are younger than maxSnapshotAgeMs (but never younger than minSnapshotAgeMs).
     */
    public void setMaxSnapshots(int maxSnapshots) {
        this.maxSnapshots = maxSnapshots;
    }

    public long getMinSnapshotAgeMs() {
        return minSnapshotAgeMs;
    }

    /**
     * For operation=expireSnapshots: a snapshot younger than this many milliseconds is never expired, whatever the cap.
     * Slack for readers and replicas that just read the table; a commit being reconciled does not rely on it (when
     * expiry removed snapshots since its first try, the batch fails as outcome unknown instead of being retried).
     */
    public void setMinSnapshotAgeMs(long minSnapshotAgeMs) {
        this.minSnapshotAgeMs = minSnapshotAgeMs;
    }

    public int getMaxManifests() {
        return maxManifests;
    }

    /**
     * For operation=rewriteManifests: the manifests of the current snapshot are rewritten, clustered by partition,
     * when there are more than this many.
     */
    public void setMaxManifests(int maxManifests) {
        this.maxManifests = maxManifests;
    }

    public long getOrphanMinAgeMs() {
        return orphanMinAgeMs;
    }

    /**
     * For operation=removeOrphanFiles: only files older than this many milliseconds are deleted, so the files of a
     * commit still in flight (written, not yet committed) are never taken for orphans.
     */
    public void setOrphanMinAgeMs(long orphanMinAgeMs) {
        this.orphanMinAgeMs = orphanMinAgeMs;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    /**
     * For operation=removeOrphanFiles: count the orphan files, delete nothing.
     */
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public int getMaxGroupRows() {
        return maxGroupRows;
    }

    /**
     * Group commit: batches that queue for a table while it commits are committed together, up to this many rows in
     * one commit. Set 1 to commit every exchange on its own.
     */
    public void setMaxGroupRows(int maxGroupRows) {
        this.maxGroupRows = maxGroupRows;
    }

    public long getCommitLingerMs() {
        return commitLingerMs;
    }

    /**
     * Group commit linger: a batch waits up to this many milliseconds for other exchanges to join its commit (or until
     * maxGroupRows rows are queued). 0 commits as soon as the table is free. Useful when every exchange is one event
     * and no aggregator batches in front, as in the iceberg-sink Kamelet.
     */
    public void setCommitLingerMs(long commitLingerMs) {
        this.commitLingerMs = commitLingerMs;
    }

    public int getCommitRetries() {
        return commitRetries;
    }

    /**
     * How many times a failed commit is tried again, with a doubling delay, before the exchange fails. Iceberg's own
     * commit.retry table properties (commit.retry.num-retries and the like) apply inside each try.
     */
    public void setCommitRetries(int commitRetries) {
        this.commitRetries = commitRetries;
    }

    public long getCommitRetryDelay() {
        return commitRetryDelay;
    }

    /**
     * The delay in milliseconds before the first retry of a failed commit; it doubles on each retry, up to 10 s.
     */
    public void setCommitRetryDelay(long commitRetryDelay) {
        this.commitRetryDelay = commitRetryDelay;
    }

    public long getCommitReconcileTimeout() {
        return commitReconcileTimeout;
    }

    /**
     * After a commit whose outcome is unknown (a lost response, a 5xx), how long in milliseconds Floe keeps reading the
     * table, with backoff, to learn whether the batch landed. Nothing is retried or deleted before it knows; when this
     * runs out the batch fails, its files are kept and its source is not acknowledged.
     */
    public void setCommitReconcileTimeout(long commitReconcileTimeout) {
        this.commitReconcileTimeout = commitReconcileTimeout;
    }

    public int getMaxAttributeBytes() {
        return maxAttributeBytes;
    }

    /**
     * The most UTF-8 bytes of one CloudEvent attribute value (id, source, type, subject, dataschema, datacontenttype,
     * time, each extension). Caps what a sender can pin in memory, e.g. in the dedup window; more is refused.
     */
    public void setMaxAttributeBytes(int maxAttributeBytes) {
        this.maxAttributeBytes = maxAttributeBytes;
    }

    public int getMaxExtensions() {
        return maxExtensions;
    }

    /**
     * The most extension attributes one CloudEvent may carry; more is refused.
     */
    public void setMaxExtensions(int maxExtensions) {
        this.maxExtensions = maxExtensions;
    }

    public int getMaxAttributesBytes() {
        return maxAttributesBytes;
    }

    /**
     * The most UTF-8 bytes of all attribute names and values of one CloudEvent together; more is refused.
     */
    public void setMaxAttributesBytes(int maxAttributesBytes) {
        this.maxAttributesBytes = maxAttributesBytes;
    }

    public int getMaxDataBase64Length() {
        return maxDataBase64Length;
    }

    /**
     * The most characters of a {@code data_base64} member (base64 of 1 MiB by default), checked before decoding.
     */
    public void setMaxDataBase64Length(int maxDataBase64Length) {
        this.maxDataBase64Length = maxDataBase64Length;
    }

    public int getMaxJsonDepth() {
        return maxJsonDepth;
    }

    /**
     * The deepest nesting of objects and arrays in JSON a sender writes (events, batches, JSON data).
     */
    public void setMaxJsonDepth(int maxJsonDepth) {
        this.maxJsonDepth = maxJsonDepth;
    }

    public int getMaxJsonStringLength() {
        return maxJsonStringLength;
    }

    /**
     * The longest JSON string value (characters) in JSON a sender writes.
     */
    public void setMaxJsonStringLength(int maxJsonStringLength) {
        this.maxJsonStringLength = maxJsonStringLength;
    }

    public int getMaxJsonNumberLength() {
        return maxJsonNumberLength;
    }

    /**
     * The most characters of one JSON number in JSON a sender writes (huge numbers are slow to parse).
     */
    public void setMaxJsonNumberLength(int maxJsonNumberLength) {
        this.maxJsonNumberLength = maxJsonNumberLength;
    }

    public int getMaxJsonNameLength() {
        return maxJsonNameLength;
    }

    /**
     * The longest JSON member name (characters) in JSON a sender writes.
     */
    public void setMaxJsonNameLength(int maxJsonNameLength) {
        this.maxJsonNameLength = maxJsonNameLength;
    }

    public long getMaxJsonDocumentLength() {
        return maxJsonDocumentLength;
    }

    /**
     * The most bytes of one JSON document a sender writes: a structured event, a batch, or JSON data in binary mode.
     */
    public void setMaxJsonDocumentLength(long maxJsonDocumentLength) {
        this.maxJsonDocumentLength = maxJsonDocumentLength;
    }

    public int getMaxInferredColumns() {
        return maxInferredColumns;
    }

    /**
     * With schemaMode=inferred, the most typed columns (nested fields included) the payload column of a table may
     * gain by inference: every new JSON member name becomes a permanent column, so a sender could otherwise grow the
     * schema without end. An event that would pass it is refused and nothing of it is written.
     */
    public void setMaxInferredColumns(int maxInferredColumns) {
        this.maxInferredColumns = maxInferredColumns;
    }

    public String getInferredColumnPattern() {
        return inferredColumnPattern;
    }

    /**
     * With schemaMode=inferred, the regular expression every JSON member name must match to become a column. The
     * default (letters, digits, underscore and hyphen, at most 128, not starting with a hyphen) keeps out empty names,
     * dots (which Iceberg reads as a path) and control characters; an event with another name is refused.
     */
    public void setInferredColumnPattern(String inferredColumnPattern) {
        this.inferredColumnPattern = inferredColumnPattern;
    }

    /** The caps on CloudEvents that these options set. */
    public CloudEventLimits limits() {
        return new CloudEventLimits(maxAttributeBytes, maxExtensions, maxAttributesBytes, maxDataBase64Length,
                maxJsonDepth, maxJsonStringLength, maxJsonNumberLength, maxJsonNameLength, maxJsonDocumentLength);
    }

    public IcebergConfiguration copy() {
        try {
            IcebergConfiguration copy = (IcebergConfiguration) super.clone();
            copy.catalogProperties = new HashMap<>(catalogProperties);
            copy.tableProperties = new HashMap<>(tableProperties);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
