package credit.exchange.routes.seed;

import credit.exchange.routes.identifier.IdentifierGenerator;
import credit.exchange.routes.identifier.Uscc;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A realistic synthetic data set in the departments' own file layouts: valid USCCs over
 * Hangzhou's district division codes, valid resident ID numbers, licences, penalties and list
 * entries with plausible dates. The same seed gives the same files, so the demo, the tests and
 * the benchmarks exercise the same shapes.
 */
public final class SeedGenerator {

    /** A source department: name and its (generated, stable) USCC. */
    public record Department(String name, String shortName, String uscc) {
    }

    private record Subject(boolean natural, String name, String uscc, String residentId, String representative) {
    }

    static final List<String> LICENSING_HEADER = List.of("XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_XDR_GSZC",
            "XK_XDR_ZZJG", "XK_XDR_SWDJ", "XK_XDR_SYDW", "XK_XDR_SHZZ", "XK_FRDB", "XK_FR_ZJLX", "XK_FR_ZJHM",
            "XK_XDR_ZJLX", "XK_XDR_ZJHM", "XK_XKWS", "XK_WSH", "XK_XKLB", "XK_XKZS", "XK_XKBH", "XK_NR", "XK_JDRQ",
            "XK_YXQZ", "XK_YXQZI", "XK_XKJG", "XK_XKJGDM", "XK_ZT", "XK_LYDW", "XK_LYDWDM", "BZ");
    static final List<String> PENALTY_HEADER = List.of("CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_XDR_GSZC",
            "CF_XDR_ZZJG", "CF_XDR_SWDJ", "CF_XDR_SYDW", "CF_XDR_SHZZ", "CF_FRDB", "CF_FR_ZJLX", "CF_FR_ZJHM",
            "CF_XDR_ZJLX", "CF_XDR_ZJHM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK",
            "CF_NR_WFFF", "CF_NR_ZKDX", "CF_JDRQ", "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY",
            "CF_SJLYDM", "BZ");
    static final List<String> LIST_HEADER = List.of("MD_XDR_MC", "MD_XDR_LB", "MD_XDR_SHXYM", "MD_FRDB",
            "MD_XDR_ZJLX", "MD_XDR_ZJHM", "MD_WSH", "MD_LB", "MD_YJ", "MD_NR", "MD_YZCD", "MD_JDRQ", "MD_YXQ",
            "MD_GSJZQ", "MD_RDJG", "MD_RDJGDM", "MD_SJLY", "MD_SJLYDM", "BZ");

    private static final String[] PLACES = {"西湖", "钱塘", "运河", "良渚", "天目", "千岛", "富春", "云栖", "之江", "湖滨", "梦溪", "青芝", "临平", "萧然", "余杭"};
    private static final String[] TRADES = {"网络", "科技", "医药", "餐饮", "物流", "食品", "环保", "建设工程", "电子商务", "文化传媒", "纺织", "贸易"};
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "朱", "马", "胡"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "霞"};
    private static final String[][] LICENCES = {{"公共场所卫生许可", "卫生"}, {"道路运输经营许可", "交通"}, {"食品经营许可", "市场"},
            {"排污许可", "生态"}, {"旅行社业务经营许可", "文化"}, {"建筑施工许可", "建设"}};
    private static final String[][] VIOLATIONS = {{"未按规定公示年度报告", "警告", ""}, {"未经许可从事道路运输经营", "罚款", "fine"},
            {"超标排放污染物", "罚款;没收违法所得", "fine+"}, {"销售过期食品", "罚款", "fine"}, {"未落实安全生产责任", "责令停产停业", ""}};
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE;

    private final long seed;
    private final LocalDate today;
    private final List<Department> departments;

    public SeedGenerator(long seed, LocalDate today) {
        this.seed = seed;
        this.today = today;
        this.departments = departments();
    }

    /** The departments the generated files come from (the same for every seed). */
    public static List<Department> departments() {
        IdentifierGenerator ids = new IdentifierGenerator(new SplittableRandom(20_160_101L));
        String[][] names = {{"杭州市市场监督管理局", "市场"}, {"杭州市卫生健康委员会", "卫生"}, {"杭州市交通运输局", "交通"},
                {"杭州市生态环境局", "生态"}, {"杭州市文化广电旅游局", "文化"}, {"杭州市城乡建设委员会", "建设"},
                {"杭州市应急管理局", "应急"}, {"杭州市发展和改革委员会", "发改"}};
        List<Department> result = new ArrayList<>();
        for (String[] n : names) {
            String body = "11330100" + ids.uscc().substring(8, 17);
            result.add(new Department(n[0], n[1], body + Uscc.checkCharacter(body)));
        }
        return List.copyOf(result);
    }

    /** Writes licensing.csv, penalty.csv, redlist.csv and blacklist.csv for {@code subjects} subjects; returns rows per file. */
    public Map<String, Integer> writeDataSet(int subjects, Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(seed);
        List<Subject> people = subjects(subjects, random);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("licensing", write(dir.resolve("licensing.csv"), LICENSING_HEADER, printer -> {
            int n = 0;
            for (Subject s : people) {
                int licences = random.nextInt(100) < 70 ? 1 + random.nextInt(3) : 0;
                for (int i = 0; i < licences; i++) {
                    printer.printRecord(licensing(s, n++, random));
                }
            }
            return n;
        }));
        counts.put("penalty", write(dir.resolve("penalty.csv"), PENALTY_HEADER, printer -> {
            int n = 0;
            for (Subject s : people) {
                int penalties = random.nextInt(100) < 25 ? 1 + random.nextInt(2) : 0;
                for (int i = 0; i < penalties; i++) {
                    printer.printRecord(penalty(s, n++, random));
                }
            }
            return n;
        }));
        counts.put("redlist", write(dir.resolve("redlist.csv"), LIST_HEADER, printer -> {
            int n = 0;
            for (Subject s : people) {
                if (!s.natural && random.nextInt(100) < 5) {
                    printer.printRecord(listEntry(s, n++, true, random));
                }
            }
            return n;
        }));
        counts.put("blacklist", write(dir.resolve("blacklist.csv"), LIST_HEADER, printer -> {
            int n = 0;
            for (Subject s : people) {
                if (random.nextInt(100) < 2) {
                    printer.printRecord(listEntry(s, n++, false, random));
                }
            }
            return n;
        }));
        return counts;
    }

    /** Writes exactly {@code rows} rows of one type (licensing, penalty, redlist, blacklist) over {@code subjects} subjects. */
    public int writeRows(String type, int rows, int subjects, Path file) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<Subject> people = subjects(Math.max(1, subjects), random);
        List<String> header = switch (type) {
            case "licensing" -> LICENSING_HEADER;
            case "penalty" -> PENALTY_HEADER;
            case "redlist", "blacklist" -> LIST_HEADER;
            default -> throw new IllegalArgumentException("the seed generator makes licensing, penalty, redlist or blacklist rows, not " + type);
        };
        return write(file, header, printer -> {
            for (int i = 0; i < rows; i++) {
                Subject s = people.get(i % people.size());
                printer.printRecord(switch (type) {
                    case "licensing" -> licensing(s, i, random);
                    case "penalty" -> penalty(s, i, random);
                    default -> listEntry(s, i, type.equals("redlist"), random);
                });
            }
            return rows;
        });
    }

    /**
     * A department's black-list file with one serious entry for an enterprise, decided today and
     * published until {@code publicationEnd}: what a market regulator sends when it black-lists
     * one (the demo, the recognition tests).
     */
    public String blackListEntry(String uscc, String partyName, String documentNumber, LocalDate publicationEnd) {
        Department d = departments.get(0);
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(LIST_HEADER.toArray(String[]::new)).get())) {
            printer.printRecord(partyName, "法人及非法人组织", uscc, "王五", "", "", documentNumber, "严重失信主体",
                    "《浙江省公共信用信息管理条例》", "列入失信黑名单", "serious", ISO.format(today), "", ISO.format(publicationEnd),
                    d.name, d.uscc, d.name, d.uscc, "");
        } catch (IOException e) {
            throw new IllegalStateException("a string cannot fail to be written", e);
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface RowWriter {
        int write(CSVPrinter printer) throws IOException;
    }

    private static int write(Path file, List<String> header, RowWriter rows) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get())) {
            return rows.write(printer);
        }
    }

    private List<Subject> subjects(int count, SplittableRandom random) {
        IdentifierGenerator ids = new IdentifierGenerator(random);
        List<Subject> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean natural = random.nextInt(100) < 15;
            String person = personName(random);
            if (natural) {
                result.add(new Subject(true, person, null, ids.residentId(), null));
            } else {
                String name = "杭州" + PLACES[random.nextInt(PLACES.length)] + GIVEN[random.nextInt(GIVEN.length)]
                        + GIVEN[random.nextInt(GIVEN.length)] + TRADES[random.nextInt(TRADES.length)]
                        + (i % 7 == 0 ? "股份" : "") + "有限公司";
                result.add(new Subject(false, name, ids.uscc(), null, person));
            }
        }
        return result;
    }

    private List<String> licensing(Subject s, int n, SplittableRandom random) {
        String[] licence = LICENCES[random.nextInt(LICENCES.length)];
        Department d = department(licence[1], random);
        LocalDate decided = pastDate(random, 3 * 365);
        String date = dateText(decided, random);
        List<String> row = party(s);
        row.addAll(List.of(licence[0] + "决定书", documentNumber(d, "许", decided, n), "普通", licence[0] + "证",
                "ZJ" + decided.getYear() % 100 + String.format("%08d", n), "准予" + licence[0], date, date,
                dateText(decided.plusYears(5), random), d.name, d.uscc, "0", d.name, d.uscc, ""));
        return row;
    }

    private List<String> penalty(Subject s, int n, SplittableRandom random) {
        String[] violation = VIOLATIONS[random.nextInt(VIOLATIONS.length)];
        Department d = department(null, random);
        LocalDate decided = pastDate(random, 3 * 365);
        String fine = violation[2].startsWith("fine") ? String.valueOf((1 + random.nextInt(500)) / 10.0) : "";
        String confiscated = violation[2].equals("fine+") ? String.valueOf((1 + random.nextInt(100)) / 10.0) : "";
        List<String> row = party(s);
        row.addAll(List.of(documentNumber(d, "罚", decided, n), violation[0], "当事人" + violation[0],
                "《中华人民共和国行政处罚法》第二十八条", violation[1], violation[1], fine, confiscated, "",
                dateText(decided, random), ISO.format(decided.plusYears(1)), ISO.format(decided.plusYears(3)),
                d.name, d.uscc, d.name, d.uscc, ""));
        return row;
    }

    private List<String> listEntry(Subject s, int n, boolean red, SplittableRandom random) {
        Department d = department(red ? "发改" : null, random);
        LocalDate listed = pastDate(random, 2 * 365);
        String severity = red ? "" : new String[] {"minor", "general", "serious"}[random.nextInt(3)];
        LocalDate end = red ? listed.plusYears(3)
                : switch (severity) {
                    case "minor" -> listed.plusMonths(3);
                    case "general" -> listed.plusYears(1);
                    default -> listed.plusYears(3);
                };
        return new ArrayList<>(List.of(s.name, s.natural ? "自然人" : "法人及非法人组织", s.natural ? "" : s.uscc,
                s.natural ? "" : s.representative, s.natural ? "身份证" : "", s.natural ? s.residentId : "",
                documentNumber(d, red ? "红" : "黑", listed, n), red ? "守信激励对象" : "严重失信主体",
                red ? "《杭州市公共信用信息管理办法》" : "《杭州市公共信用信息管理办法》第二十三条",
                red ? "列入诚信红名单" : "列入失信黑名单", severity, ISO.format(listed), "",
                ISO.format(end), d.name, d.uscc, d.name, d.uscc, ""));
    }

    private static List<String> party(Subject s) {
        List<String> row = new ArrayList<>(32);
        row.addAll(List.of(s.name, s.natural ? "自然人" : "法人及非法人组织", s.natural ? "" : s.uscc, "", "", "", "", "",
                s.natural ? "" : s.representative, "", "", s.natural ? "身份证" : "", s.natural ? s.residentId : ""));
        return row;
    }

    private Department department(String shortName, SplittableRandom random) {
        if (shortName != null) {
            for (Department d : departments) {
                if (d.shortName.equals(shortName)) {
                    return d;
                }
            }
        }
        return departments.get(random.nextInt(departments.size()));
    }

    /** Unique per seed and row, so that data sets of different seeds never correct each other's records. */
    private String documentNumber(Department d, String kind, LocalDate date, int n) {
        return "杭" + d.shortName + kind + "字〔" + date.getYear() + "〕" + seed + "-" + n + "号";
    }

    private LocalDate pastDate(SplittableRandom random, int days) {
        return today.minusDays(random.nextInt(days));
    }

    /** Most departments write ISO dates; some export YYYY/MM/DD or epoch milliseconds. */
    private static String dateText(LocalDate date, SplittableRandom random) {
        int style = random.nextInt(10);
        if (style < 7) {
            return ISO.format(date);
        }
        if (style < 9) {
            return date.format(DateTimeFormatter.ofPattern("yyyy/MM/dd"));
        }
        return String.valueOf(date.atStartOfDay(java.time.ZoneId.of("Asia/Shanghai")).toInstant().toEpochMilli());
    }

    private static String personName(SplittableRandom random) {
        return SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)]
                + (random.nextBoolean() ? GIVEN[random.nextInt(GIVEN.length)] : "");
    }
}
