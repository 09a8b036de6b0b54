package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code gatewayctl id check} on real, publicly known codes and on broken ones. */
class IdCheckCommandTest {

    private record Run(int exit, List<String> lines) {
    }

    private static Run idCheck(String... codes) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[codes.length + 2];
            args[0] = "id";
            args[1] = "check";
            System.arraycopy(codes, 0, args, 2, codes.length);
            int exit = GatewayCtl.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void realCodes_areValid_withTheirKind_andExitZero() {
        Run run = idCheck(
                "91330100716105852F",   // Alibaba (China) Co., Ltd.
                "914403001922038216",   // Huawei Technologies Co., Ltd.
                "9144030071526726XG",   // Tencent (Shenzhen)
                "91110000802100433B",   // Beijing Baidu Netcom
                "11010519491231002X",   // GB 11643's example resident ID
                "440524188001010014",   // GB 11643's example resident ID
                "71610585-2");          // Alibaba's organisation code
        assertEquals(0, run.exit());
        assertEquals(7, run.lines().size());
        run.lines().forEach(line -> assertTrue(line.startsWith("VALID "), line));
        assertTrue(run.lines().get(0).startsWith("VALID USCC"));
        assertTrue(run.lines().get(4).startsWith("VALID RESIDENT_ID"));
        assertTrue(run.lines().get(6).startsWith("VALID ORGANIZATION_CODE"));
    }

    @Test
    void brokenCodes_areInvalid_withAReason_andExitOne() {
        Run run = idCheck(
                "91330100716105852E",   // check character changed
                "91330127OCBC71B35E",   // letter O is not in the alphabet
                "11010519491231002",    // one character short
                "110105194902300021");  // 30 February
        assertEquals(1, run.exit());
        assertEquals(4, run.lines().size());
        run.lines().forEach(line -> assertTrue(line.startsWith("INVALID "), line));
        assertTrue(run.lines().get(0).contains("check character"), run.lines().get(0));
        assertTrue(run.lines().get(1).contains("letter O"), run.lines().get(1));
    }

    @Test
    void oneInvalidAmongValid_exitsOne() {
        Run run = idCheck("91330100716105852F", "914403001922038217");
        assertEquals(1, run.exit());
        assertTrue(run.lines().get(0).startsWith("VALID"));
        assertTrue(run.lines().get(1).startsWith("INVALID"));
    }
}
