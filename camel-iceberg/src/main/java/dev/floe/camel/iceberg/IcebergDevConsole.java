package dev.floe.camel.iceberg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The tables every iceberg component of the context writes (a Kamelet's own components included): batches queued for
 * commit, the last snapshot committed and the last error.
 */
@DevConsole(name = "iceberg", displayName = "Iceberg", description = "Iceberg tables: queued batches, last snapshot, last error")
public class IcebergDevConsole extends AbstractDevConsole {

    public IcebergDevConsole() {
        super("camel", "iceberg", "Iceberg", "Iceberg tables: queued batches, last snapshot, last error");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (JsonObject table : tables()) {
            text.append(String.format("%s (component %s): %s queued batches, last snapshot %s at %s%n",
                    table.get("table"), table.get("component"), table.get("queuedBatches"),
                    table.getOrDefault("lastSnapshotId", "none"), table.getOrDefault("lastCommitAt", "-")));
            if (table.containsKey("lastError")) {
                text.append(String.format("    last error at %s: %s%n", table.get("lastErrorAt"),
                        table.get("lastError")));
            }
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        root.put("tables", tables());
        return root;
    }

    private List<JsonObject> tables() {
        List<JsonObject> tables = new ArrayList<>();
        for (String name : new TreeSet<>(getCamelContext().getComponentNames())) {
            if (!(getCamelContext().hasComponent(name) instanceof IcebergComponent component)) {
                continue;
            }
            Map<TableIdentifier, Integer> queued = component.queuedBatches();
            Map<TableIdentifier, TableActivity> activity = component.activity();
            TreeSet<String> names = new TreeSet<>();
            queued.keySet().forEach(t -> names.add(t.toString()));
            activity.keySet().forEach(t -> names.add(t.toString()));
            for (String table : names) {
                TableIdentifier id = TableIdentifier.parse(table);
                JsonObject json = new JsonObject();
                json.put("component", name);
                json.put("table", table);
                json.put("queuedBatches", queued.getOrDefault(id, 0));
                TableActivity a = activity.get(id);
                if (a != null) {
                    putIfSet(json, "lastSnapshotId", a.lastSnapshotId());
                    putIfSet(json, "lastCommitAt", a.lastCommitAt());
                    putIfSet(json, "lastError", a.lastError());
                    putIfSet(json, "lastErrorAt", a.lastErrorAt());
                }
                tables.add(json);
            }
        }
        return tables;
    }

    private static void putIfSet(JsonObject json, String key, Object value) {
        if (value != null) {
            json.put(key, value instanceof Instant ? value.toString() : value);
        }
    }
}
