package dev.floe.app.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.floe.app.FloeConfig;
import dev.floe.app.Globs;
import dev.floe.camel.iceberg.TableNames;
import io.cloudevents.CloudEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Picks each event's table from an allow-list of rules on one attribute (default: type). Replaces the body (a List of
 * CloudEvents) with one {@link TableBatch} per table; {@link TableCheck} then checks that they fit their tables, once
 * the sender has been authorized for them.
 * <p>
 * Event text only selects among configured tables; it never becomes an identifier. Every configured identifier is
 * checked at start-up.
 */
@ApplicationScoped
@Named("tableRouter")
public class TableRouter implements Processor {

    private record Rule(String pattern, Pattern glob, String table) {
    }

    @Inject
    FloeConfig config;

    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private String defaultTable;
    private boolean rejectUnmatched;

    @PostConstruct
    void init() {
        defaultTable = TableNames.parse(config.table()).toString();
        config.routing().rules().forEach((pattern, table) -> rules.add(
                new Rule(pattern, Globs.of(pattern),
                        TableNames.parse(table.trim()).toString())));
        // exact values first, then the longest (most specific) glob
        rules.sort(Comparator.comparing((Rule r) -> r.pattern().contains("*"))
                .thenComparing(r -> -r.pattern().length()));
        config.tables().keySet().forEach(TableNames::parse);
        String unmatched = config.routing().unmatched();
        if (!unmatched.equals("default") && !unmatched.equals("reject")) {
            throw new IllegalArgumentException("floe.routing.unmatched must be default or reject, not " + unmatched);
        }
        rejectUnmatched = unmatched.equals("reject");
    }

    /**
     * Resolves the endpoint of every configured table at start-up: a wrong per-table setting fails the start, not the
     * first event, and the iceberg component starts while the JVM is healthy (Iceberg's worker pool cannot be created
     * once shutdown has begun, which is when the last batches commit).
     */
    public void resolveEndpoints(CamelContext camel) {
        tables().forEach(table -> camel.getEndpoint(endpointUri(table)));
    }

    /** Every table an event can be routed to: the default, the rules' tables and those with settings. */
    public Set<String> tables() {
        Set<String> tables = new TreeSet<>();
        tables.add(defaultTable);
        rules.forEach(rule -> tables.add(rule.table()));
        config.tables().keySet().forEach(table -> tables.add(TableNames.parse(table).toString()));
        return tables;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        List<CloudEvent> events = exchange.getIn().getBody(List.class);
        Map<String, List<CloudEvent>> byTable = new LinkedHashMap<>();
        for (CloudEvent event : events) {
            byTable.computeIfAbsent(tableFor(event), t -> new ArrayList<>()).add(event);
        }
        List<TableBatch> batches = new ArrayList<>();
        byTable.forEach((table, tableEvents) -> batches.add(new TableBatch(table, endpointUri(table), tableEvents)));
        exchange.getIn().setBody(batches);
    }

    /** The event's table; {@link UnroutableEventException} when none takes it. */
    public String tableFor(CloudEvent event) {
        String attribute = config.routing().attribute();
        // the spec version's own set: the SDK's getAttributeNames() builds a new set per call
        Object value = event.getSpecVersion().getAllAttributes().contains(attribute)
                ? event.getAttribute(attribute)
                : event.getExtension(attribute);
        if (value != null) {
            String text = value.toString();
            for (Rule rule : rules) {
                if (rule.glob().matcher(text).matches()) {
                    return rule.table();
                }
            }
        }
        if (rejectUnmatched) {
            throw new UnroutableEventException("no table for event " + event.getId() + ": its " + attribute + " '"
                    + (value == null ? "" : clip(value.toString()))
                    + "' matches no floe.routing.rules pattern");
        }
        return defaultTable;
    }

    /** The iceberg: endpoint for a table, with its floe.tables settings as endpoint options. */
    public String endpointUri(String table) {
        return endpoints.computeIfAbsent(table, t -> {
            StringBuilder uri = new StringBuilder("iceberg:").append(t).append("?autoCreateTable=true")
                    .append("&dedupWindowSeconds=").append(config.dedupWindowSeconds())
                    .append("&dedupWindowBytes=").append(config.dedupWindowBytes());
            // the readers apply the same limits before this endpoint: its own check never fails a batch
            FloeConfig.Limits limits = config.limits();
            uri.append("&maxAttributeBytes=").append(limits.maxAttributeBytes())
                    .append("&maxExtensions=").append(limits.maxExtensions())
                    .append("&maxAttributesBytes=").append(limits.maxAttributesBytes())
                    .append("&maxDataBase64Length=").append(limits.maxDataBase64Length())
                    .append("&maxJsonDepth=").append(limits.maxJsonDepth())
                    .append("&maxJsonStringLength=").append(limits.maxJsonStringLength())
                    .append("&maxJsonNumberLength=").append(limits.maxJsonNumberLength())
                    .append("&maxJsonNameLength=").append(limits.maxJsonNameLength())
                    .append("&maxJsonDocumentLength=").append(limits.maxJsonDocumentLength())
                    .append("&maxInferredColumns=").append(limits.maxInferredColumns())
                    .append("&inferredColumnPattern=RAW(").append(limits.inferredColumnPattern()).append(')');
            FloeConfig.TableSettings settings = config.tables().get(t);
            if (settings != null) {
                settings.partitionSpec().ifPresent(spec -> uri.append("&partitionSpec=RAW(").append(spec).append(')'));
                uri.append("&schemaMode=").append(settings.schemaMode());
                settings.declaredSchema().ifPresent(s -> uri.append("&declaredSchema=RAW(").append(s).append(')'));
                uri.append("&writeMode=").append(settings.writeMode());
                settings.identifierFields().ifPresent(f -> uri.append("&identifierFields=RAW(").append(f).append(')'));
                uri.append("&dedup=").append(settings.dedup());
            }
            return uri.toString();
        });
    }

    private static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
