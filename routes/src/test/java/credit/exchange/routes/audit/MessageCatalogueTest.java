package credit.exchange.routes.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.model.FieldLabels;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.security.Classification;
import credit.exchange.security.audit.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's one message catalogue (console/messages.js, read as the strict JSON between its
 * markers): both languages have the same keys and parameters; the record labels are
 * FieldLabels' and the category names the category catalogue's; every key the pages name exists,
 * and every file the pages load is one the console serves.
 */
class MessageCatalogueTest {

    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z]+)}");
    static Map<String, Map<String, String>> catalogue;
    static Map<String, String> zh;
    static Map<String, String> en;

    @BeforeAll
    static void read() throws IOException {
        String script = resource("messages.js");
        int begin = script.indexOf("/* BEGIN CATALOGUE */");
        int end = script.indexOf("/* END CATALOGUE */");
        assertTrue(begin > 0 && end > begin, "the catalogue's markers");
        catalogue = new ObjectMapper().readValue(script.substring(begin + "/* BEGIN CATALOGUE */".length(), end),
                new TypeReference<LinkedHashMap<String, Map<String, String>>>() { });
        zh = catalogue.get("zh-CN");
        en = catalogue.get("en");
    }

    @Test
    void theCatalogue_hasSimplifiedChineseAndEnglish_withExactlyTheSameKeys_andTheSameParameters() {
        assertEquals(Set.of("zh-CN", "en"), catalogue.keySet());
        assertEquals(new TreeSet<>(zh.keySet()), new TreeSet<>(en.keySet()), "the same keys in both languages");
        for (String key : zh.keySet()) {
            assertFalse(zh.get(key).isBlank() || en.get(key).isBlank(), key + " is empty");
            assertEquals(parameters(zh.get(key)), parameters(en.get(key)), key + "'s parameters");
        }
    }

    @Test
    void recordLabels_areFieldLabels_andCategoryNames_areTheCategoryCatalogues() throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        zh.forEach((key, label) -> {
            if (key.startsWith("field.")) {
                fields.put(key.substring("field.".length()), label);
            }
        });
        assertEquals(FieldLabels.recordFields(), fields, "every record field with FieldLabels' label, in its order");
        for (RecordStatus status : RecordStatus.values()) {
            assertEquals(FieldLabels.status(status), zh.get("status." + status.name()), status.name());
        }
        for (Classification c : Classification.values()) {
            assertEquals(FieldLabels.classification(c), zh.get("class." + c.name()), c.name());
        }
        for (SubjectKind kind : SubjectKind.values()) {
            assertEquals(FieldLabels.subjectKind(kind), zh.get("subjectKind." + kind.name()), kind.name());
        }
        zh.forEach((key, label) -> {
            if (key.startsWith("attr.")) {
                assertEquals(FieldLabels.label(key.substring("attr.".length())), label, key);
            }
        });
        assertTrue(zh.keySet().stream().filter(k -> k.startsWith("attr.")).count() >= 25, "the national data items' labels");

        // the category catalogue as the store's first migration fills it: code, name_zh, name_en
        Matcher row = Pattern.compile("\\('([a-z-]+)',\\s*'([^']+)',\\s*'([^']+)',\\s*'[ABC]'").matcher(migration());
        Map<String, String> categories = new TreeMap<>();
        while (row.find()) {
            categories.put(row.group(1), row.group(2));
            assertEquals(row.group(3), en.get("category." + row.group(1)), row.group(1));
        }
        assertFalse(categories.isEmpty());
        Map<String, String> labelled = new TreeMap<>();
        zh.forEach((key, label) -> {
            if (key.startsWith("category.")) {
                labelled.put(key.substring("category.".length()), label);
            }
        });
        assertEquals(categories, labelled);
    }

    @Test
    void everyActorKind_action_andDecision_ofTheTrail_hasItsLabel() {
        for (AuditEvent.ActorKind kind : AuditEvent.ActorKind.values()) {
            assertNotNull(zh.get("actor." + kind.name()), kind.name());
        }
        for (AuditEvent.Action action : AuditEvent.Action.values()) {
            assertNotNull(zh.get("action." + action.wireName()), action.wireName());
            assertEquals(action.wireName(), en.get("action." + action.wireName()), "English names an action by its code");
        }
        for (AuditEvent.Decision decision : AuditEvent.Decision.values()) {
            assertNotNull(zh.get("decision." + decision.name()), decision.name());
        }
    }

    @Test
    void everyKeyThePagesName_isInTheCatalogue_andEveryFileTheyLoad_isServed() throws IOException {
        Pattern named = Pattern.compile("data-i18n(?:-[a-z-]+)?=\"([^\"]+)\"");
        Pattern called = Pattern.compile("\\bt\\('([^']+)'\\s*[,)]");
        Pattern loaded = Pattern.compile("(?:src|href)=\"([^\"]+\\.(?:js|css))\"");
        for (String page : ConsoleRoutes.FILES.keySet()) {
            String text = resource(page);
            Matcher m = (page.endsWith(".html") ? named : called).matcher(text);
            while (m.find()) {
                assertTrue(zh.containsKey(m.group(1)), page + " names " + m.group(1));
            }
            if (page.endsWith(".html")) {
                assertTrue(text.startsWith("<!doctype html>\n<html lang=\"zh-CN\">"), page + " is Chinese by default");
                assertFalse(text.contains("<script>") || text.contains("style="), page + ": no inline script or style (CSP)");
                Matcher file = loaded.matcher(text);
                while (file.find()) {
                    assertTrue(ConsoleRoutes.FILES.containsKey(file.group(1)), page + " loads " + file.group(1));
                }
            }
        }
    }

    private static Set<String> parameters(String message) {
        Set<String> names = new TreeSet<>();
        Matcher m = PARAMETER.matcher(message);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MessageCatalogueTest.class.getResourceAsStream("/console/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String migration() throws IOException {
        try (InputStream in = MessageCatalogueTest.class.getResourceAsStream("/db/migration/V1__credit_store.sql")) {
            assertNotNull(in);
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return sql.substring(sql.indexOf("insert into record_category"), sql.indexOf("create table subject"));
        }
    }
}
