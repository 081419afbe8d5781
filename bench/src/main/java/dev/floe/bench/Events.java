package dev.floe.bench;

/** The benchmark's CloudEvent: about 400 bytes in structured mode. */
final class Events {

    static final String DATA = "{\"sensor\":\"s-0042\",\"celsius\":21.5,\"humidity\":0.43,\"firmware\":\"1.8.2\","
            + "\"site\":\"plant-7\",\"tags\":[\"north\",\"floor-2\",\"line-b\"],\"ok\":true}";

    private Events() {
    }

    static String structured(String id) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/bench/sensors/42\","
                + "\"type\":\"dev.floe.bench.reading\",\"subject\":\"room-17\",\"time\":\"2026-11-22T10:00:00.123Z\","
                + "\"datacontenttype\":\"application/json\",\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-00\","
                + "\"data\":" + DATA + "}";
    }
}
