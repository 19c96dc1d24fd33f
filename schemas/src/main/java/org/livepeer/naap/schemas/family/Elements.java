package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Payloads that are an array of objects, or (a quirk) a single object standing for one. */
final class Elements {
    record Item(JsonNode node, String path) {}

    private Elements() {}

    static List<Item> objects(JsonNode data, String expected) {
        String root = Read.ROOT;
        if (data == null || data.isNull() || data.isMissingNode()) {
            throw Read.missing(root, expected);
        }
        List<Item> out = new ArrayList<>();
        if (data.isObject()) {
            out.add(new Item(data, root));
        } else if (data.isArray()) {
            for (int i = 0; i < data.size(); i++) {
                out.add(new Item(Read.element(data, i, root), Read.path(root, i)));
            }
        } else {
            throw Read.wrongType(root, expected, data);
        }
        return out;
    }
}
