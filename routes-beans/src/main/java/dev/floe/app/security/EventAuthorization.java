package dev.floe.app.security;

import java.util.List;
import java.util.regex.Pattern;

import dev.floe.app.FloeConfig;
import dev.floe.app.Globs;
import dev.floe.app.routing.TableBatch;
import io.cloudevents.CloudEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The allow-list of floe.authorization.grants: each event of the request (a List of {@link TableBatch}es, after
 * routing) must be matched by a grant for the sender ({@link IngestAuthentication#PRINCIPAL}), its type, its source and
 * its table, or the whole request is refused with {@link ForbiddenEventException} before anything is admitted. No
 * grants configured: everything is allowed.
 */
@ApplicationScoped
@Named("eventAuthorization")
public class EventAuthorization implements Processor {

    record Grant(Pattern principal, List<Pattern> types, List<Pattern> sources, List<Pattern> tables) {

        boolean allows(String who, String type, String source, String table) {
            return principal.matcher(who).matches() && any(types, type) && any(sources, source)
                    && any(tables, table);
        }

        private static boolean any(List<Pattern> globs, String value) {
            return globs.stream().anyMatch(glob -> glob.matcher(value).matches());
        }
    }

    @Inject
    FloeConfig config;

    private List<Grant> grants;

    @PostConstruct
    void init() {
        grants = config.authorization().grants().values().stream()
                .map(g -> new Grant(Globs.of(g.principal()), globs(g.types()), globs(g.sources()), globs(g.tables())))
                .toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        if (grants.isEmpty()) {
            return;
        }
        String principal = exchange.getProperty(IngestAuthentication.PRINCIPAL, IngestAuthentication.ANONYMOUS,
                String.class);
        for (TableBatch batch : (List<TableBatch>) exchange.getIn().getBody(List.class)) {
            for (CloudEvent event : batch.events()) {
                String source = event.getSource().toString();
                if (grants.stream().noneMatch(g -> g.allows(principal, event.getType(), source, batch.table()))) {
                    throw new ForbiddenEventException("'" + clip(principal) + "' may not send event "
                            + clip(event.getId()) + " (type " + clip(event.getType())
                            + ", source " + clip(source)
                            + ") to table " + batch.table()
                            + ": no floe.authorization.grants entry allows it");
                }
            }
        }
    }

    private static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static List<Pattern> globs(List<String> patterns) {
        return patterns.stream().map(String::trim).map(Globs::of).toList();
    }

}
