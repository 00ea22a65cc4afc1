package io.platform.api.table;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/** The columns of a type and how one object fills them (all columns, as with {@code -o wide}). */
record Printer(List<Column> columns, BiFunction<JsonNode, Instant, List<?>> cells) {}
