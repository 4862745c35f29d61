import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.javarosa.core.model.Constants;
import org.javarosa.core.model.FormDef;
import org.javarosa.core.model.SelectChoice;
import org.javarosa.core.model.ValidateOutcome;
import org.javarosa.core.model.data.DateTimeData;
import org.javarosa.core.model.data.IAnswerData;
import org.javarosa.core.model.data.IntegerData;
import org.javarosa.core.model.data.SelectOneData;
import org.javarosa.core.model.data.StringData;
import org.javarosa.core.model.instance.InstanceInitializationFactory;
import org.javarosa.form.api.FormEntryController;
import org.javarosa.form.api.FormEntryModel;
import org.javarosa.form.api.FormEntryPrompt;
import org.javarosa.model.xform.XFormSerializingVisitor;
import org.javarosa.xform.util.XFormUtils;

/**
 * Fills an XForm as ODK Collect's form entry does, with JavaRosa itself: question by
 * question, each select's choices read from the form engine, every answer checked by its
 * constraint, then the instance serialised as Collect submits it.
 *
 * Usage: java -cp ODK_Validate.jar:. FillForm FORM.xml ANSWERS OUTPUT.xml
 *
 * ANSWERS holds one "reference=value" a line, taken in order for each question of that
 * reference (a repeat's questions once per repeat); a repeat is added while answers for
 * its first question remain. Prints "choices <ref>: a b c" for each select, and exits
 * 2 when an answer is refused ("refused <ref> <value>: constraint|required|not offered"),
 * 0 once the instance is written.
 */
public class FillForm {
    public static void main(String[] arguments) throws Exception {
        Map<String, ArrayDeque<String>> answers = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(arguments[1]))) {
            int equals = line.indexOf('=');
            if (line.isBlank() || equals < 0) continue;
            String ref = line.substring(0, equals);
            answers.computeIfAbsent(ref, key -> new ArrayDeque<>()).add(line.substring(equals + 1));
            order.add(ref);
        }
        FormDef form = XFormUtils.getFormFromInputStream(new FileInputStream(arguments[0]));
        form.initialize(true, new InstanceInitializationFactory());
        FormEntryModel model = new FormEntryModel(form);
        FormEntryController controller = new FormEntryController(model);
        int event;
        while ((event = controller.stepToNextEvent()) != FormEntryController.EVENT_END_OF_FORM) {
            if (event == FormEntryController.EVENT_PROMPT_NEW_REPEAT) {
                String first = firstQuestionOfRepeat(model, order);
                if (first != null && answers.containsKey(first) && !answers.get(first).isEmpty()) {
                    controller.newRepeat();
                }
                continue;
            }
            if (event != FormEntryController.EVENT_QUESTION) continue;
            FormEntryPrompt prompt = model.getQuestionPrompt();
            String ref = prompt.getQuestion().getBind().getReference().toString().replaceAll("\\[\\d+\\]", "");
            if (prompt.isReadOnly()) continue;
            ArrayDeque<String> queue = answers.get(ref);
            String value = queue == null || queue.isEmpty() ? "" : queue.poll();
            IAnswerData answer = null;
            if (prompt.getControlType() == Constants.CONTROL_SELECT_ONE) {
                List<SelectChoice> choices = prompt.getSelectChoices();
                StringBuilder listed = new StringBuilder();
                for (SelectChoice choice : choices) listed.append(' ').append(choice.getValue());
                System.out.println("choices " + ref + ":" + listed);
                if (!value.isEmpty()) {
                    for (SelectChoice choice : choices) {
                        if (choice.getValue().equals(value)) answer = new SelectOneData(choice.selection());
                    }
                    if (answer == null) refuse(ref, value, "not offered");
                }
            } else if (!value.isEmpty()) {
                switch (prompt.getDataType()) {
                    case Constants.DATATYPE_INTEGER -> answer = new IntegerData(Integer.parseInt(value));
                    case Constants.DATATYPE_DATE_TIME ->
                        answer = new DateTimeData(Date.from(OffsetDateTime.parse(value).toInstant()));
                    default -> answer = new StringData(value);
                }
            }
            int status = controller.answerQuestion(answer, true);
            if (status == FormEntryController.ANSWER_CONSTRAINT_VIOLATED) refuse(ref, value, "constraint");
            if (status == FormEntryController.ANSWER_REQUIRED_BUT_EMPTY) refuse(ref, value, "required");
        }
        ValidateOutcome outcome = form.validate(true);
        if (outcome != null) {
            System.out.println("refused at the end: " + outcome.failedPrompt + " (" + outcome.outcome + ")");
            System.exit(2);
        }
        Files.write(Path.of(arguments[2]), new XFormSerializingVisitor().serializeInstance(form.getInstance()));
        System.out.println("instance written");
    }

    /** The first reference of the answers that lies inside the repeat being prompted for. */
    private static String firstQuestionOfRepeat(FormEntryModel model, List<String> order) {
        String repeat = model.getForm().getChildInstanceRef(model.getFormIndex()).toString(false)
            .replaceAll("\\[\\d+\\]", "");
        for (String ref : order) if (ref.startsWith(repeat + "/")) return ref;
        return null;
    }

    private static void refuse(String ref, String value, String why) {
        System.out.println("refused " + ref + " " + value + ": " + why);
        System.exit(2);
    }
}
