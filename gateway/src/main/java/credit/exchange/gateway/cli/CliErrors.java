package credit.exchange.gateway.cli;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The one way {@code gatewayctl} reports a failure: {@code error CODE: message} on standard error
 * with a stable code (security's ErrorCode), and the documented exit status (docs/operations.md,
 * "Exit statuses"). Neither a command line it cannot parse nor a failure inside a command prints a
 * Java exception or a stack trace; an unexpected fault's stack trace goes to the DEBUG log only.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    /** The command did its work and found nothing wrong. */
    static final int OK = 0;
    /** The command did its work and found something invalid, overdue, unconfirmed or rejected (it says what). */
    static final int FOUND_PROBLEMS = 1;
    /** The command could not do its work: a usage error, bad input, an unreadable file, a store that does not answer. */
    static final int FAILED = 2;
    /** {@code envelope open}: the envelope was refused (REFUSED code: reason). */
    static final int REFUSED = 3;

    private static final Logger LOG = LoggerFactory.getLogger(CliErrors.class);

    static void install(CommandLine cli) {
        CliErrors errors = new CliErrors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
    }

    /** A failure inside a command. */
    @Override
    public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        print(command.getErr(), coded(e));
        return FAILED;
    }

    /** A command line that does not parse: unknown command or option, missing or unconvertible value. */
    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        // a missing option, parameter or subcommand ("Missing required subcommand" is a plain ParameterException)
        ErrorCode code = e instanceof CommandLine.MissingParameterException
                || String.valueOf(e.getMessage()).startsWith("Missing required") ? ErrorCode.E_FIELD_MISSING : ErrorCode.E_FIELD_INVALID;
        // picocli names the converter's exception in parentheses: "cannot convert 'X' to Charset (java.nio...Exception: X)"
        String message = e.getMessage() == null ? "the command line does not parse"
                : e.getMessage().replaceAll("\\s*\\([\\w.$]+(Exception|Error)(: [^)]*)?\\)", "");
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            java.util.List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        print(command.getErr(), new CodedException(code, oneLine(message) + " (" + command.getCommandSpec().qualifiedName()
                + " --help lists its commands and options)"));
        return FAILED;
    }

    private static void print(PrintWriter err, CodedException e) {
        err.println("error " + e.code() + ": " + oneLine(e.getMessage()));
        err.flush();
    }

    /**
     * The coded form of a failure: a CodedException anywhere in its causes as it is; the failures
     * a command meets on its input (a missing or unreadable file, a bad value) with the code that
     * says so; anything else E_INTERNAL, its details in the DEBUG log.
     */
    static CodedException coded(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CodedException coded) {
                return coded;
            }
        }
        Throwable t = failure instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : failure;
        if (t instanceof NoSuchFileException missing) {
            return new CodedException(ErrorCode.E_NOT_FOUND, "no such file: " + missing.getFile());
        }
        if (t instanceof NotDirectoryException notDirectory) {
            return new CodedException(ErrorCode.E_NOT_FOUND, "not a directory: " + notDirectory.getFile());
        }
        if (t instanceof AccessDeniedException denied) {
            return new CodedException(ErrorCode.E_FILE_UNREADABLE, "permission denied: " + denied.getFile());
        }
        if (t instanceof FileSystemException fs) {
            return new CodedException(ErrorCode.E_FILE_UNREADABLE, fs.getFile() + ": " + fs.getReason());
        }
        if (t instanceof java.io.IOException io) {
            return new CodedException(ErrorCode.E_FILE_UNREADABLE, "input or output failed: " + io.getMessage());
        }
        if (t instanceof UnsupportedCharsetException | t instanceof IllegalCharsetNameException) {
            return new CodedException(ErrorCode.E_FIELD_INVALID, "unknown character set: " + t.getMessage());
        }
        if (t instanceof IllegalArgumentException) {
            // the commands' own checks of what they were given (a bad option value, a directory that is not one)
            return new CodedException(ErrorCode.E_FIELD_INVALID, String.valueOf(t.getMessage()));
        }
        LOG.debug("unexpected fault of the command", failure);
        return new CodedException(ErrorCode.E_INTERNAL, "unexpected fault"
                + (t.getMessage() == null ? "" : ": " + t.getMessage()) + " (details in the log at DEBUG level)");
    }

    /** A message on one line: picocli's and some libraries' messages span several. */
    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
