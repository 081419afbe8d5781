# Floe in a container: the Quarkus fast-jar in JVM mode on Red Hat's UBI 9 OpenJDK 17 runtime.
#
#   ./mvnw -B package -DskipTests -pl app -am
#   docker build -t floe:0.1.0-SNAPSHOT .        (or: podman build …, oc new-build --binary …)
#
# It runs as the unprivileged user 185 (group 0, so OpenShift's arbitrary user ids can write the same folders).
# The routes are read from /deployments/routes: the image carries the ones in routes/, and Kubernetes mounts a
# ConfigMap over that folder to change them (k8s/). The embedded default catalog keeps its data in /deployments/data:
# mount a volume there, or configure a real catalog (FLOE_CATALOG_PROPERTIES_*).
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23

ENV LANGUAGE='en_US:en'

# the fast-jar's four parts, from the least to the most often changed, so rebuilds reuse the dependency layers
COPY --chown=185:0 app/target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185:0 app/target/quarkus-app/*.jar /deployments/
COPY --chown=185:0 app/target/quarkus-app/app/ /deployments/app/
COPY --chown=185:0 app/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --chown=185:0 routes/ /deployments/routes/

USER 0
RUN mkdir -p /deployments/data && chown 185:0 /deployments/data && chmod 0775 /deployments/data \
    && chmod -R g=u /deployments/routes
USER 185

# the management port (probes, metrics) on every interface inside the container, for the kubelet's probes.
# JAVA_OPTS_APPEND comes after run-java.sh's own options, so its GC settings win: the image's GCTimeRatio=4 (up to a
# fifth of the time in GC) and MaxHeapFreeRatio=20 (shrink the heap early) cost the Kafka path ~15 % more CPU per row;
# 19 and 40 keep peak RSS near 0.5 GiB in the 1 GiB limit (bench/RESULTS.md, "Kafka defaults").
ENV FLOE_ROUTES_DIR=/deployments/routes \
    FLOE_MANAGEMENT_HOST=0.0.0.0 \
    FLOE_DATA_DIR=/deployments/data \
    JAVA_APP_JAR=/deployments/quarkus-run.jar \
    JAVA_OPTS_APPEND="-Djava.util.logging.manager=org.jboss.logmanager.LogManager -XX:GCTimeRatio=19 -XX:MaxHeapFreeRatio=40"

# 8080: CloudEvents over HTTP; 9000: health probes and Prometheus metrics; 50051: CloudEvents over gRPC, when
# FLOE_GRPC_ENABLED=true (with its gRPC health service)
EXPOSE 8080 9000 50051
VOLUME ["/deployments/data"]

# run-java.sh execs the JVM, so SIGTERM reaches Floe and the batches in memory are committed before it exits
ENTRYPOINT ["/opt/jboss/container/java/run/run-java.sh"]
