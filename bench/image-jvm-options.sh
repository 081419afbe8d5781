# Sourced by the benchmarks: image_jvm_options [MEMORY_LIMIT] prints the JVM options the container image gives Floe
# under a memory limit (1g, the manifests' limit, unless given): the image's run-java.sh defaults (heap at
# JAVA_MAX_MEM_RATIO, 80 % unless the Dockerfile sets it, of the limit, emulated with -XX:MaxRAM; Parallel GC as the
# image sets it) plus the Dockerfile's JAVA_OPTS_APPEND. Run from the repository's root.
dockerfile_env() { sed -n "s/.*$1=\"\{0,1\}\([^\"\\]*\)\"\{0,1\}.*/\1/p" Dockerfile | head -1; }
image_jvm_options() {
  local ratio
  ratio=$(dockerfile_env JAVA_MAX_MEM_RATIO)
  echo "-XX:MaxRAM=${1:-1g} -XX:MaxRAMPercentage=${ratio:-80} -XX:+UseParallelGC -XX:MinHeapFreeRatio=10 \
-XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError \
$(dockerfile_env JAVA_OPTS_APPEND)"
}
