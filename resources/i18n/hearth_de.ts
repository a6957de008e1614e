<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../app/ui/about_dialog.py" line="+54"/>
        <source>About Hearth</source>
        <translation>Über Hearth</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hearth {version}</source>
        <translation>Hearth {version}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Private AI chat that runs on your computer. Free software under the Apache License 2.0.</source>
        <translation>Privater KI-Chat, der auf deinem Computer läuft. Freie Software unter der Apache License 2.0.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Models run with {runtime}.
Qt {qt} (PySide6 {pyside}), Python {python}.</source>
        <translation>Modelle laufen mit {runtime}.
Qt {qt} (PySide6 {pyside}), Python {python}.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Licences of the models and of the software Hearth includes:</source>
        <translation>Lizenzen der Modelle und der Software, die Hearth enthält:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Included software</source>
        <translation>Enthaltene Software</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Licence text</source>
        <translation>Lizenztext</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The licence texts could not be read: {error}</source>
        <translation>Die Lizenztexte konnten nicht gelesen werden: {error}</translation>
    </message>
</context>
<context>
    <name>ActivityList</name>
    <message>
        <location filename="../../app/ui/tool_activity.py" line="+251"/>
        <source>Steps the model took</source>
        <translation>Schritte des Modells</translation>
    </message>
</context>
<context>
    <name>ActivityRow</name>
    <message>
        <location line="-52"/>
        <source>Hide the details</source>
        <translation>Einzelheiten ausblenden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the details</source>
        <translation>Einzelheiten zeigen</translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <location filename="../../app/ui/settings_pages.py" line="+29"/>
        <source>Same as the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+23"/>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Light or dark colours; the system&apos;s choice by default</source>
        <translation>Helle oder dunkle Farben; standardmäßig wie das System</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+15"/>
        <source>Text size in the chat</source>
        <translation>Schriftgröße im Chat</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>How large the messages are, compared with the rest of the window</source>
        <translation>Wie groß die Nachrichten im Vergleich zum übrigen Fenster sind</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Narrow</source>
        <translation>Schmal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wide</source>
        <translation>Breit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Full width</source>
        <translation>Volle Breite</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Chat width</source>
        <translation>Breite des Chats</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>How wide the conversation grows in a large window; long lines are harder to read</source>
        <translation>Wie breit die Unterhaltung in einem großen Fenster wird; lange Zeilen lesen sich schwerer</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <location filename="../../app/ui/attachments.py" line="+188"/>
        <location line="+14"/>
        <source>Remove {name}</source>
        <translation>{name} entfernen</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Remove this attachment</source>
        <translation>Diesen Anhang entfernen</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+8"/>
        <source>Attachment {name}</source>
        <translation>Anhang {name}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reading… {percent}%</source>
        <translation>Wird gelesen… {percent}&#xa0;%</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is being read.</source>
        <translation>{name} wird gelesen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>see notes</source>
        <translation>siehe Hinweise</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click to see the text that was read.</source>
        <translation>Klicke, um den gelesenen Text zu sehen.</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <location line="+69"/>
        <source>Attachments</source>
        <translation>Anhänge</translation>
    </message>
</context>
<context>
    <name>BranchNavigator</name>
    <message>
        <location filename="../../app/ui/branch_navigator.py" line="+24"/>
        <source>Previous version</source>
        <translation>Vorherige Fassung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Version</source>
        <translation>Fassung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next version</source>
        <translation>Nächste Fassung</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Version {n} of {count}</source>
        <translation>Fassung {n} von {count}</translation>
    </message>
</context>
<context>
    <name>Browser</name>
    <message>
        <location filename="../../app/tools/activity.py" line="+23"/>
        <source>Searched the documents and past conversations for “{query}”: nothing found</source>
        <translation>Die Dokumente und früheren Unterhaltungen nach „{query}“ durchsucht: nichts gefunden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Searched the documents and past conversations for “{query}”: 1 result</source>
        <translation>Die Dokumente und früheren Unterhaltungen nach „{query}“ durchsucht: 1 Treffer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Searched the documents and past conversations for “{query}”: {count} results</source>
        <translation>Die Dokumente und früheren Unterhaltungen nach „{query}“ durchsucht: {count} Treffer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Searched the documents for “{query}”: nothing found</source>
        <translation>Die Dokumente nach „{query}“ durchsucht: nichts gefunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Searched the documents for “{query}”: 1 result</source>
        <translation>Die Dokumente nach „{query}“ durchsucht: 1 Treffer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Searched the documents for “{query}”: {count} results</source>
        <translation>Die Dokumente nach „{query}“ durchsucht: {count} Treffer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Looked at the search results</source>
        <translation>Die Suchergebnisse angesehen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opened the past conversation “{title}”</source>
        <translation>Die frühere Unterhaltung „{title}“ geöffnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opened {name} at page {page}</source>
        <translation>{name} auf Seite {page} geöffnet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Opened {name} at “{heading}”</source>
        <translation>{name} bei „{heading}“ geöffnet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opened {name}</source>
        <translation>{name} geöffnet</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Found no match for “{pattern}” in {name}</source>
        <translation>Keine Stelle mit „{pattern}“ in {name} gefunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Found 1 match for “{pattern}” in {name}</source>
        <translation>1 Stelle mit „{pattern}“ in {name} gefunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Found {count} matches for “{pattern}” in {name}</source>
        <translation>{count} Stellen mit „{pattern}“ in {name} gefunden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The browser could not do what the model asked</source>
        <translation>Der Browser konnte nicht tun, worum das Modell gebeten hat</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Did not open {address}: Hearth does not go online</source>
        <translation>{address} nicht geöffnet: Hearth geht nicht ins Internet</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The model asked for a browser action that does not exist: {name}</source>
        <translation>Das Modell hat eine Browser-Aktion verlangt, die es nicht gibt: {name}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stopped before the browser was used</source>
        <translation>Angehalten, bevor der Browser benutzt wurde</translation>
    </message>
    <message>
        <location filename="../../app/tools/citations.py" line="+56"/>
        <source>conversation “{title}”</source>
        <translation>Unterhaltung „{title}“</translation>
    </message>
</context>
<context>
    <name>Chat</name>
    <message>
        <location filename="../../app/turn.py" line="+74"/>
        <source>Stopped: the model was repeating itself.</source>
        <translation>Angehalten: Das Modell hat sich wiederholt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped: the model used its tools too many times.</source>
        <translation>Angehalten: Das Modell hat seine Werkzeuge zu oft benutzt.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Summarise the attached documents.</source>
        <translation>Fasse die angehängten Dokumente zusammen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summarise the attached document.</source>
        <translation>Fasse das angehängte Dokument zusammen.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>That message is no longer in this conversation, so it cannot be edited.</source>
        <translation>Diese Nachricht ist nicht mehr in der Unterhaltung und lässt sich deshalb nicht bearbeiten.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../app/ui/chat_view.py" line="+77"/>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <location line="+171"/>
        <source>Start a conversation as “{name}”</source>
        <translation>Unterhaltung als „{name}“ beginnen</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Ask anything, or drop a document here. Everything stays on this computer.</source>
        <translation>Frag, was du willst, oder zieh ein Dokument hierher. Alles bleibt auf diesem Computer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Empty conversation</source>
        <translation>Leere Unterhaltung</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Or start as:</source>
        <translation>Oder beginne als:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start with a preset</source>
        <translation>Mit einer Vorlage beginnen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_helpers.py" line="+28"/>
        <source>Open link?</source>
        <translation>Link öffnen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This link goes to {host}. Open it in your web browser?

{url}</source>
        <translation>Dieser Link führt zu {host}. Im Webbrowser öffnen?

{url}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{rate} tok/s</source>
        <translation>{rate} Token/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>first token {seconds} s</source>
        <translation>erstes Token nach {seconds} s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 token</source>
        <translation>1 Token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} tokens</source>
        <translation>{count} Token</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>hit the length limit</source>
        <translation>Längengrenze erreicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped early</source>
        <translation>vorzeitig gestoppt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../app/ui/composer.py" line="+95"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Attach…</source>
        <translation>Anhängen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attach documents</source>
        <translation>Dokumente anhängen</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+27"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location line="-24"/>
        <location line="+28"/>
        <source>Send message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Attach documents: PDF, Word, text, Markdown, code, CSV, HTML. Up to {size} per file.</source>
        <translation>Dokumente anhängen: PDF, Word, Text, Markdown, Code, CSV, HTML. Bis zu {size} pro Datei.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop the reply</source>
        <translation>Antwort stoppen</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Message Hearth…  ({send} to send, {new_line} for a new line)</source>
        <translation>Nachricht an Hearth…  ({send} zum Senden, {new_line} für eine neue Zeile)</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Stop the reply ({keys})</source>
        <translation>Antwort stoppen ({keys})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send ({keys})</source>
        <translation>Senden ({keys})</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>up to {size} each</source>
        <translation>je bis zu {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Attach documents ({limit})</source>
        <translation>Dokumente anhängen ({limit})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Documents ({patterns});;All files (*)</source>
        <translation>Dokumente ({patterns});;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Long text pasted</source>
        <translation>Langer Text eingefügt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You pasted {count} characters. Attach it as a document, or paste it into the message?</source>
        <translation>Du hast {count} Zeichen eingefügt. Als Dokument anhängen oder in die Nachricht einfügen?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Attach as a document</source>
        <translation>Als Dokument anhängen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paste as text</source>
        <translation>Als Text einfügen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Wait until {name} has been read.</source>
        <translation>Warte, bis {name} gelesen ist.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove “{name}” (it could not be read) before sending.</source>
        <translation>Entferne „{name}“ vor dem Senden (die Datei konnte nicht gelesen werden).</translation>
    </message>
</context>
<context>
    <name>ConversationController</name>
    <message>
        <location filename="../../app/ui/conversation_controller.py" line="+239"/>
        <source>The model is still loading. Send again in a moment.</source>
        <translation>Das Modell wird noch geladen. Sende gleich noch einmal.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a model first, in the list above the chat.</source>
        <translation>Wähle zuerst ein Modell, in der Liste über dem Chat.</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <location filename="../../app/ui/conversation_list.py" line="+57"/>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Pinned</source>
        <translation>Angeheftet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+5"/>
        <location line="+39"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unpin</source>
        <translation>Lösen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pin to top</source>
        <translation>Oben anheften</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
</context>
<context>
    <name>ConversationPanel</name>
    <message>
        <location filename="../../app/ui/conversation_panel.py" line="+62"/>
        <source>Conversation settings</source>
        <translation>Einstellungen der Unterhaltung</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Start from a preset</source>
        <translation>Mit einer Vorlage beginnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a preset…</source>
        <translation>Vorlage wählen…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Instructions for the model</source>
        <translation>Anweisungen an das Modell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>For example: You are a patient teacher. Explain things simply, with an example.</source>
        <translation>Zum Beispiel: Du bist ein geduldiger Lehrer. Erkläre alles einfach und mit einem Beispiel.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sent to the model before the conversation, as its instructions</source>
        <translation>Wird dem Modell vor der Unterhaltung als Anweisung mitgegeben</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+28"/>
        <source>Reasoning effort</source>
        <translation>Nachdenken</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>How long gpt-oss thinks before it answers; other models ignore it</source>
        <translation>Wie lange gpt-oss nachdenkt, bevor es antwortet; andere Modelle beachten das nicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As set above the chat</source>
        <translation>Wie über dem Chat eingestellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Changes apply from the next question on.</source>
        <translation>Die Änderungen gelten ab deiner nächsten Frage.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save as preset…</source>
        <translation>Als Vorlage speichern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep these settings to start other conversations with</source>
        <translation>Diese Einstellungen aufbewahren, um andere Unterhaltungen damit zu beginnen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Preset</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Instructions</source>
        <translation>Anweisungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+11"/>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Tools</source>
        <translation>Werkzeuge</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Use the model&apos;s default</source>
        <translation>Standardwert des Modells verwenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lower is more focused and repeatable, higher more varied</source>
        <translation>Niedriger ist sachlicher und gleichbleibender, höher abwechslungsreicher</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Save as preset</source>
        <translation>Als Vorlage speichern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name of the preset:</source>
        <translation>Name der Vorlage:</translation>
    </message>
</context>
<context>
    <name>CopyButton</name>
    <message>
        <location filename="../../app/ui/chat_helpers.py" line="+73"/>
        <location line="+8"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>DataFolder</name>
    <message>
        <location filename="../../app/config.py" line="+108"/>
        <source>Hearth cannot use its data folder “{folder}”.</source>
        <translation>Hearth kann seinen Datenordner „{folder}“ nicht benutzen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Free up some space on the disk, then start Hearth again.</source>
        <translation>Mach etwas Platz auf dem Datenträger frei und starte Hearth dann neu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check that the folder exists and that you are allowed to write to it, then start Hearth again.</source>
        <translation>Prüfe, ob der Ordner existiert und ob du darin schreiben darfst, und starte Hearth dann neu.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This folder is set by HEARTH_HOME: set it to another folder, or remove it to use the usual one.</source>
        <translation>Dieser Ordner ist durch HEARTH_HOME festgelegt: Setze die Variable auf einen anderen Ordner oder entferne sie, um den üblichen zu benutzen.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The disk is full.</source>
        <translation>Der Datenträger ist voll.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“{path}” is a file, not a folder.</source>
        <translation>„{path}“ ist eine Datei, kein Ordner.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{path}” is a folder where Hearth needs a file.</source>
        <translation>„{path}“ ist ein Ordner, wo Hearth eine Datei braucht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hearth is not allowed to write to “{path}”.</source>
        <translation>Hearth darf nicht in „{path}“ schreiben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“{path}” is on a disk that can only be read.</source>
        <translation>„{path}“ liegt auf einem Datenträger, der nur gelesen werden kann.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The folder&apos;s name is too long.</source>
        <translation>Der Name des Ordners ist zu lang.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+35"/>
        <source>“{path}” is a link that leads back to itself.</source>
        <translation>„{path}“ ist eine Verknüpfung, die auf sich selbst zurückführt.</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>“{path}” cannot be found.</source>
        <translation>„{path}“ wurde nicht gefunden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The system said: {reason}.</source>
        <translation>Das System meldet: {reason}.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>“{path}” names the home folder of an unknown user.</source>
        <translation>„{path}“ nennt den Benutzerordner eines unbekannten Benutzers.</translation>
    </message>
</context>
<context>
    <name>DetailView</name>
    <message>
        <location filename="../../app/ui/tool_activity.py" line="-93"/>
        <source>Details of this step</source>
        <translation>Einzelheiten zu diesem Schritt</translation>
    </message>
</context>
<context>
    <name>Document kinds</name>
    <message>
        <location filename="../../app/documents/extract.py" line="+65"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Word document</source>
        <translation>Word-Dokument</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CSV table</source>
        <translation>CSV-Tabelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TSV table</source>
        <translation>TSV-Tabelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>JSON Lines</source>
        <translation>JSON Lines</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Web page</source>
        <translation>Webseite</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>reStructuredText</source>
        <translation>reStructuredText</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LaTeX</source>
        <translation>LaTeX</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BibTeX</source>
        <translation>BibTeX</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Python code</source>
        <translation>Python-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>JavaScript code</source>
        <translation>JavaScript-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>TypeScript code</source>
        <translation>TypeScript-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C code</source>
        <translation>C-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C header</source>
        <translation>C-Header</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>C++ code</source>
        <translation>C++-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>C++ header</source>
        <translation>C++-Header</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C# code</source>
        <translation>C#-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Java code</source>
        <translation>Java-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Kotlin code</source>
        <translation>Kotlin-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scala code</source>
        <translation>Scala-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Groovy code</source>
        <translation>Groovy-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradle build script</source>
        <translation>Gradle-Build-Skript</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go code</source>
        <translation>Go-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rust code</source>
        <translation>Rust-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Swift code</source>
        <translation>Swift-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Objective-C or MATLAB code</source>
        <translation>Objective-C- oder MATLAB-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Objective-C++ code</source>
        <translation>Objective-C++-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ruby code</source>
        <translation>Ruby-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PHP code</source>
        <translation>PHP-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Perl code</source>
        <translation>Perl-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lua code</source>
        <translation>Lua-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R code</source>
        <translation>R-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Julia code</source>
        <translation>Julia-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dart code</source>
        <translation>Dart-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Haskell code</source>
        <translation>Haskell-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OCaml code</source>
        <translation>OCaml-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F# code</source>
        <translation>F#-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Elixir code</source>
        <translation>Elixir-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Erlang code</source>
        <translation>Erlang-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clojure code</source>
        <translation>Clojure-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zig code</source>
        <translation>Zig-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nim code</source>
        <translation>Nim-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visual Basic code</source>
        <translation>Visual-Basic-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fortran code</source>
        <translation>Fortran-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assembly code</source>
        <translation>Assembler-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Shell script</source>
        <translation>Shell-Skript</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PowerShell script</source>
        <translation>PowerShell-Skript</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Batch file</source>
        <translation>Batchdatei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GraphQL</source>
        <translation>GraphQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Protocol Buffers</source>
        <translation>Protocol Buffers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSS stylesheet</source>
        <translation>CSS-Stylesheet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SCSS stylesheet</source>
        <translation>SCSS-Stylesheet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Less stylesheet</source>
        <translation>Less-Stylesheet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vue component</source>
        <translation>Vue-Komponente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Svelte component</source>
        <translation>Svelte-Komponente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>XML</source>
        <translation>XML</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>YAML</source>
        <translation>YAML</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TOML</source>
        <translation>TOML</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Settings file</source>
        <translation>Einstellungsdatei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terraform code</source>
        <translation>Terraform-Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+10"/>
        <source>CMake script</source>
        <translation>CMake-Skript</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+7"/>
        <source>Makefile</source>
        <translation>Makefile</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+1"/>
        <source>Patch</source>
        <translation>Patch</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dockerfile</source>
        <translation>Dockerfile</translation>
    </message>
</context>
<context>
    <name>DocumentOpener</name>
    <message>
        <location filename="../../app/ui/document_opener.py" line="+78"/>
        <source>That document is no longer in the history.</source>
        <translation>Dieses Dokument ist nicht mehr im Verlauf.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>That passage is no longer in the history.</source>
        <translation>Dieser Abschnitt ist nicht mehr im Verlauf.</translation>
    </message>
</context>
<context>
    <name>DocumentViewer</name>
    <message>
        <location filename="../../app/ui/document_viewer.py" line="+49"/>
        <source>{name} — {facts}</source>
        <translation>{name} – {facts}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About this document</source>
        <translation>Über dieses Dokument</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes about what was read</source>
        <translation>Hinweise zum gelesenen Text</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No text could be read from this document.</source>
        <translation>Aus diesem Dokument ließ sich kein Text lesen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Text read from {name}</source>
        <translation>Aus {name} gelesener Text</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <location filename="../../app/documents/document.py" line="+77"/>
        <source>1 page</source>
        <translation>1 Seite</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} pages</source>
        <translation>{count} Seiten</translation>
    </message>
    <message>
        <location filename="../../app/documents/extract.py" line="+61"/>
        <source>Pasted text.txt</source>
        <translation>Eingefügter Text.txt</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>“{name}” is a folder, not a file.</source>
        <translation>„{name}“ ist ein Ordner, keine Datei.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{name}” is not an ordinary file, so Hearth cannot read it.</source>
        <translation>„{name}“ ist keine gewöhnliche Datei, deshalb kann Hearth sie nicht lesen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>“{name}” could not be found: it may have been moved or deleted.</source>
        <translation>„{name}“ wurde nicht gefunden. Vielleicht wurde die Datei verschoben oder gelöscht.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hearth is not allowed to read “{name}”: check who may open it.</source>
        <translation>Hearth darf „{name}“ nicht lesen. Prüfe, wer die Datei öffnen darf.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>“{name}” could not be read ({reason}).</source>
        <translation>„{name}“ konnte nicht gelesen werden ({reason}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{name}” could not be read (the disk did not answer).</source>
        <translation>„{name}“ konnte nicht gelesen werden (der Datenträger hat nicht geantwortet).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{name}” is too large ({size}; Hearth reads files up to {limit}).</source>
        <translation>„{name}“ ist zu groß ({size}; Hearth liest Dateien bis {limit}).</translation>
    </message>
    <message>
        <location filename="../../app/documents/document.py" line="-48"/>
        <source>“{name}” is too large to read with the memory available.</source>
        <translation>„{name}“ ist zu groß, um mit dem verfügbaren Arbeitsspeicher gelesen zu werden.</translation>
    </message>
    <message>
        <location filename="../../app/documents/extract.py" line="+9"/>
        <source>“{name}” is empty.</source>
        <translation>„{name}“ ist leer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../app/documents/formats/tabular.py" line="+176"/>
        <source>“{name}” is nested too deeply to read.</source>
        <translation>„{name}“ ist zu tief verschachtelt, um gelesen zu werden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>“{name}” is empty: it has no text to read.</source>
        <translation>„{name}“ ist leer und enthält keinen Text zum Lesen.</translation>
    </message>
    <message>
        <location filename="../../app/documents/formats/common.py" line="+35"/>
        <location filename="../../app/documents/isolation.py" line="+93"/>
        <source>Reading “{name}” was cancelled.</source>
        <translation>Das Lesen von „{name}“ wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Only the first {chars} characters (about 1 page) are included.</source>
        <translation>Nur die ersten {chars} Zeichen (etwa 1 Seite) wurden übernommen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Only the first {chars} characters (about {pages} pages) are included.</source>
        <translation>Nur die ersten {chars} Zeichen (etwa {pages} Seiten) wurden übernommen.</translation>
    </message>
    <message>
        <location filename="../../app/documents/formats/pdf.py" line="+24"/>
        <source>“{name}” is damaged or not really a PDF.</source>
        <translation>„{name}“ ist beschädigt oder keine echte PDF.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{name}” is protected by a password. Open it, save an unprotected copy, and attach that.</source>
        <translation>„{name}“ ist mit einem Passwort geschützt. Öffne die Datei, speichere eine Kopie ohne Passwort und hänge diese an.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>“{name}” has no pages.</source>
        <translation>„{name}“ hat keine Seiten.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>“{name}” has no text layer: it looks like scanned images, and Hearth cannot read text in images yet.</source>
        <translation>„{name}“ enthält keinen Text, sondern offenbar nur eingescannte Bilder, und Text in Bildern kann Hearth noch nicht lesen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Page {pages} has no text (scanned image?).</source>
        <translation>Seite {pages} enthält keinen Text (eingescanntes Bild?).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pages {pages} have no text (scanned images?).</source>
        <translation>Die Seiten {pages} enthalten keinen Text (eingescannte Bilder?).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Page {pages} could not be read.</source>
        <translation>Seite {pages} konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pages {pages} could not be read.</source>
        <translation>Die Seiten {pages} konnten nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../../app/documents/formats/plain.py" line="+37"/>
        <source>“{name}” does not look like text (it may be a program or an image).</source>
        <translation>„{name}“ sieht nicht nach Text aus (vielleicht ist es ein Programm oder ein Bild).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>“{name}” does not look like text (it may be a program or an image renamed to {suffix}).</source>
        <translation>„{name}“ sieht nicht nach Text aus (vielleicht ist es ein Programm oder ein Bild, das in {suffix} umbenannt wurde).</translation>
    </message>
    <message>
        <location filename="../../app/documents/formats/tabular.py" line="-113"/>
        <source>“{name}” could not be read as a table (line {line}).</source>
        <translation>„{name}“ konnte nicht als Tabelle gelesen werden (Zeile {line}).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only the first {kept} of {total} rows are included.</source>
        <translation>Nur die ersten {kept} von {total} Zeilen wurden übernommen.</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>“{name}” is not valid JSON (line {line}).</source>
        <translation>„{name}“ ist kein gültiges JSON (Zeile {line}).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>“{name}” is not valid JSON, or holds values Hearth cannot read.</source>
        <translation>„{name}“ ist kein gültiges JSON oder enthält Werte, die Hearth nicht lesen kann.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The data is nested too deeply to lay out, so it is shown as written.</source>
        <translation>Die Daten sind zu tief verschachtelt, um sie übersichtlich darzustellen, deshalb werden sie so gezeigt, wie sie in der Datei stehen.</translation>
    </message>
    <message>
        <location filename="../../app/documents/formats/web.py" line="+169"/>
        <source>“{name}” could not be read as a web page.</source>
        <translation>„{name}“ konnte nicht als Webseite gelesen werden.</translation>
    </message>
    <message>
        <location filename="../../app/documents/formats/word_package.py" line="+46"/>
        <source>“{name}” is damaged or is not a Word document.</source>
        <translation>„{name}“ ist beschädigt oder kein Word-Dokument.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{name}” would unpack to far more than Hearth can read, so it was not opened.</source>
        <translation>„{name}“ würde entpackt weit mehr ergeben, als Hearth lesen kann, und wurde darum nicht geöffnet.</translation>
    </message>
    <message>
        <location filename="../../app/documents/formats/word.py" line="+61"/>
        <source>1 part of the document could not be read.</source>
        <translation>1 Teil des Dokuments konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} parts of the document could not be read.</source>
        <translation>{count} Teile des Dokuments konnten nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../../app/documents/isolation.py" line="+4"/>
        <source>“{name}” took too long to read; it may be damaged.</source>
        <translation>Das Lesen von „{name}“ hat zu lange gedauert; die Datei ist vielleicht beschädigt.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>“{name}” could not be read: the reader stopped unexpectedly. The file may be damaged.</source>
        <translation>„{name}“ konnte nicht gelesen werden, weil das Lesen unerwartet abgebrochen ist. Die Datei ist vielleicht beschädigt.</translation>
    </message>
    <message>
        <location filename="../../app/documents/unsupported.py" line="+12"/>
        <source>Hearth can read PDF, Word (.docx), text, Markdown, CSV, JSON, web pages and source code.</source>
        <translation>Hearth kann PDF, Word (.docx), Text, Markdown, CSV, JSON, Webseiten und Quellcode lesen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>“{name}” is an old-style Word document, which Hearth cannot read. Open it in Word or LibreOffice, save it as .docx, and attach that.</source>
        <translation>„{name}“ ist ein Word-Dokument im alten Format, das Hearth nicht lesen kann. Öffne es in Word oder LibreOffice, speichere es als .docx und hänge diese Datei an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{name}” is a rich-text document, which Hearth cannot read. Save it as .docx or PDF, and attach that.</source>
        <translation>„{name}“ ist ein RTF-Dokument, das Hearth nicht lesen kann. Speichere es als .docx oder PDF und hänge diese Datei an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{name}” is an OpenDocument text, which Hearth cannot read. Save it as .docx or PDF, and attach that.</source>
        <translation>„{name}“ ist ein OpenDocument-Text, den Hearth nicht lesen kann. Speichere ihn als .docx oder PDF und hänge diese Datei an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{name}” is a Pages document, which Hearth cannot read. Export it as .docx or PDF, and attach that.</source>
        <translation>„{name}“ ist ein Pages-Dokument, das Hearth nicht lesen kann. Exportiere es als .docx oder PDF und hänge diese Datei an.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{name}” is a spreadsheet, which Hearth cannot read yet. Save the sheet as CSV, and attach that.</source>
        <translation>„{name}“ ist eine Tabellenkalkulation, die Hearth noch nicht lesen kann. Speichere die Tabelle als CSV und hänge diese Datei an.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>“{name}” is a presentation, which Hearth cannot read yet. Export it as PDF, and attach that.</source>
        <translation>„{name}“ ist eine Präsentation, die Hearth noch nicht lesen kann. Exportiere sie als PDF und hänge diese Datei an.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>“{name}” is an image, and Hearth cannot read images yet. {supported}</source>
        <translation>„{name}“ ist ein Bild, und Bilder kann Hearth noch nicht lesen. {supported}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{name}” is an archive. Unpack it and attach the files inside. {supported}</source>
        <translation>„{name}“ ist ein Archiv. Entpacke es und hänge die Dateien darin an. {supported}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Hearth cannot read {suffix} files like “{name}”. {supported}</source>
        <translation>Dateien vom Typ {suffix} wie „{name}“ kann Hearth nicht lesen. {supported}</translation>
    </message>
    <message>
        <location filename="../../app/reply_stats.py" line="+45"/>
        <source>Read the whole document: {name}</source>
        <translation>Ganzes Dokument gelesen: {name}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No passage of {name} fitted in the context; the answer does not use it</source>
        <translation>Kein Abschnitt aus {name} passte in den Kontext; die Antwort nutzt das Dokument nicht</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Used all {total} passages of {name}</source>
        <translation>Alle {total} Abschnitte aus {name} verwendet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Used the 1 most relevant passage of {total} from {name}</source>
        <translation>Den passendsten von {total} Abschnitten aus {name} verwendet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Used the {used} most relevant passages of {total} from {name}</source>
        <translation>Die {used} passendsten von {total} Abschnitten aus {name} verwendet</translation>
    </message>
    <message>
        <location filename="../../app/documents/source.py" line="+38"/>
        <source>Opened through the link “{link}”; the file itself is {target}.</source>
        <translation>Über die Verknüpfung „{link}“ geöffnet; die Datei selbst ist {target}.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>“{name}” is a link that leads back to itself.</source>
        <translation>„{name}“ ist eine Verknüpfung, die auf sich selbst zurückführt.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>“{name}” is a link to a system file ({target}), so Hearth will not read it.</source>
        <translation>„{name}“ ist eine Verknüpfung zu einer Systemdatei ({target}), darum liest Hearth sie nicht.</translation>
    </message>
</context>
<context>
    <name>DocumentsLine</name>
    <message>
        <location filename="../../app/ui/message_parts.py" line="+179"/>
        <source>Documents used for this reply</source>
        <translation>Für diese Antwort verwendete Dokumente</translation>
    </message>
</context>
<context>
    <name>Downloads</name>
    <message>
        <location filename="../../app/models/download.py" line="+63"/>
        <source>not enough free disk space: needs {needed}, {free} free</source>
        <translation>Nicht genug Platz auf der Festplatte: {needed} nötig, {free} frei</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>The download keeps failing ({problem}). Check the connection; it will resume where it stopped.</source>
        <translation>Der Download schlägt immer wieder fehl ({problem}). Prüfe die Internetverbindung; der Download macht später dort weiter, wo er aufgehört hat.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{name}: the downloaded file is damaged (checksum mismatch); it was deleted, please download it again.</source>
        <translation>{name}: Die heruntergeladene Datei ist beschädigt (die Prüfsumme stimmt nicht) und wurde gelöscht. Bitte lade sie noch einmal herunter.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The server did not say how big the file is; it cannot be downloaded.</source>
        <translation>Der Server hat nicht angegeben, wie groß die Datei ist; sie kann nicht heruntergeladen werden.</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>Could not save the download: {reason}</source>
        <translation>Der Download konnte nicht gespeichert werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/models/hub_http.py" line="+88"/>
        <source>This model needs a Hugging Face token: accept its licence on the model&apos;s page, then add your token in Settings.</source>
        <translation>Dieses Modell braucht einen Hugging-Face-Token: Akzeptiere die Lizenz auf der Seite des Modells und füge dann deinen Token in den Einstellungen hinzu.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The file was not found on the server: {url}</source>
        <translation>Die Datei wurde auf dem Server nicht gefunden: {url}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused the download (HTTP {code}).</source>
        <translation>Der Server hat den Download abgelehnt (HTTP {code}).</translation>
    </message>
    <message>
        <location filename="../../app/models/pull.py" line="+41"/>
        <source>{repo} needs a Hugging Face token that can read it.</source>
        <translation>{repo} braucht einen Hugging-Face-Token mit Leserechten dafür.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{repo} was not found on the Hugging Face Hub.</source>
        <translation>{repo} wurde auf dem Hugging Face Hub nicht gefunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not read {repo} on the Hub ({problem}).</source>
        <translation>{repo} konnte auf dem Hub nicht gelesen werden ({problem}).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not reach the Hub ({problem}); check the internet connection.</source>
        <translation>Der Hub ist nicht erreichbar ({problem}); prüfe die Internetverbindung.</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <location filename="../../app/engine/engine.py" line="+50"/>
        <source>“{name}” cannot be used: {problem}.</source>
        <translation>„{name}“ kann nicht verwendet werden: {problem}.</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>“{name}” could not be opened by the model runtime. The file may be damaged, or it may need a newer version of Hearth.</source>
        <translation>„{name}“ lässt sich nicht als Modell öffnen. Die Datei ist vielleicht beschädigt, oder sie braucht eine neuere Version von Hearth.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>“{name}” cannot be used: {problem}</source>
        <translation>„{name}“ kann nicht verwendet werden: {problem}</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>The model file “{name}” was not found. It may have been moved or deleted.</source>
        <translation>Die Modelldatei „{name}“ wurde nicht gefunden. Vielleicht wurde sie verschoben oder gelöscht.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{name}” is a folder, not a model file.</source>
        <translation>„{name}“ ist ein Ordner, keine Modelldatei.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>“{name}” could not be read ({reason}).</source>
        <translation>„{name}“ konnte nicht gelesen werden ({reason}).</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>“{name}” needs about {needed} of memory with a {context}-token context, but only {free} is free. Close other programs, choose a shorter context, or pick a smaller model.</source>
        <translation>„{name}“ braucht mit einem Kontext von {context} Token etwa {needed} Arbeitsspeicher, aber nur {free} sind frei. Schließ andere Programme, wähle einen kürzeren Kontext oder nimm ein kleineres Modell.</translation>
    </message>
    <message>
        <location filename="../../app/engine/streaming.py" line="+258"/>
        <source>The model stopped with an internal error. Try again.</source>
        <translation>Das Modell wurde durch einen internen Fehler angehalten. Versuch es noch einmal.</translation>
    </message>
    <message>
        <location filename="../../app/engine/errors.py" line="+19"/>
        <source>No model is loaded yet. Choose a model first.</source>
        <translation>Es ist noch kein Modell geladen. Wähle zuerst ein Modell.</translation>
    </message>
    <message>
        <location filename="../../app/engine/gguf_info.py" line="+49"/>
        <source>the file ends in the middle of its header</source>
        <translation>die Datei endet mitten im Dateikopf</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>this model comes in {count} parts and {missing} is missing</source>
        <translation>dieses Modell besteht aus {count} Teilen, und {missing} fehlt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this model comes in {count} parts and {missing} are missing</source>
        <translation>dieses Modell besteht aus {count} Teilen, und {missing} fehlen</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>the header has an unknown value type ({type})</source>
        <translation>der Dateikopf enthält einen unbekannten Werttyp ({type})</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>the file uses a tensor type this version does not know ({type})</source>
        <translation>die Datei verwendet einen Tensortyp, den diese Hearth-Version nicht kennt ({type})</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the file is too small to be a GGUF model</source>
        <translation>die Datei ist zu klein für ein GGUF-Modell</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the file is not a GGUF model</source>
        <translation>die Datei ist kein GGUF-Modell</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the file is GGUF version {version}, which this version cannot read</source>
        <translation>die Datei hat die GGUF-Version {version}, die diese Hearth-Version nicht lesen kann</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the file&apos;s header is damaged</source>
        <translation>der Dateikopf ist beschädigt</translation>
    </message>
    <message>
        <location line="+13"/>
        <location filename="../../app/engine/memory.py" line="+196"/>
        <source>the file&apos;s tensor table is damaged</source>
        <translation>die Tensortabelle der Datei ist beschädigt</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the file&apos;s header is damaged (bad alignment)</source>
        <translation>der Dateikopf ist beschädigt (falsche Ausrichtung)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the file is incomplete: it has {size} of {expected} bytes (was the download interrupted?)</source>
        <translation>die Datei ist unvollständig: Sie hat {size} von {expected} Bytes (wurde der Download unterbrochen?)</translation>
    </message>
    <message>
        <location filename="../../app/engine/prompt.py" line="+79"/>
        <source>This model&apos;s chat template is broken ({problem}).</source>
        <translation>Das Chat-Template dieses Modells ist fehlerhaft ({problem}).</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>This model&apos;s chat template could not format the conversation ({problem}).</source>
        <translation>Das Chat-Template dieses Modells konnte die Unterhaltung nicht aufbereiten ({problem}).</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>There is nothing to send.</source>
        <translation>Es gibt nichts zu senden.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The message is too long for this model&apos;s context: it needs {needed} tokens and only {budget} are available. Shorten it, or raise the context size in Settings.</source>
        <translation>Die Nachricht ist zu lang für den Kontext dieses Modells: Sie braucht {needed} Token, verfügbar sind nur {budget}. Kürze sie oder erhöhe die Kontextlänge in den Einstellungen.</translation>
    </message>
    <message>
        <location filename="../../app/engine/base_model.py" line="+89"/>
        <source>This looks like a base model: it continues text rather than answering questions.</source>
        <translation>Das sieht nach einem Basismodell aus: Es setzt Text fort, statt Fragen zu beantworten.</translation>
    </message>
    <message>
        <location filename="../../app/engine/offload.py" line="+104"/>
        <source>No GPU was found, so the model runs on the CPU.</source>
        <translation>Es wurde keine GPU gefunden, daher läuft das Modell auf der CPU.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{device} has the most free memory of {count} GPUs.</source>
        <translation>{device} hat von {count} GPUs den meisten freien Speicher.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>GPU offload is turned off in Settings.</source>
        <translation>Die GPU-Auslagerung ist in den Einstellungen ausgeschaltet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The number of GPU layers is set in Settings.</source>
        <translation>Die Zahl der GPU-Schichten ist in den Einstellungen festgelegt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{device} has {free} free, too little for even one layer of this model once {kept} is kept free, so the model runs on the CPU.</source>
        <translation>{device} hat {free} frei; wenn {kept} frei bleiben, reicht das nicht einmal für eine Schicht dieses Modells, daher läuft es auf der CPU.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The whole model fits in the memory of {device}.</source>
        <translation>Das ganze Modell passt in den Speicher von {device}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>As many layers as fit in the free memory of {device} go there.</source>
        <translation>So viele Schichten, wie in den freien Speicher von {device} passen, laufen dort.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>GPU: {layers} of {total} layers, {device}</source>
        <translation>GPU: {layers} von {total} Schichten, {device}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>CPU, 1 thread</source>
        <translation>CPU, 1 Thread</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU, {threads} threads</source>
        <translation>CPU, {threads} Threads</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The model did not fit in the memory of {device}, so it runs on the CPU; choose a shorter context or a smaller model to use the GPU.</source>
        <translation>Das Modell passte nicht in den Speicher von {device} und läuft daher auf der CPU; wähle einen kürzeren Kontext oder ein kleineres Modell, um die GPU zu nutzen.</translation>
    </message>
    <message>
        <location filename="../../app/engine/tool_loop.py" line="+104"/>
        <source>The model kept calling tools after its limit, so the reply was stopped.</source>
        <translation>Das Modell hat nach seiner Grenze weiter Werkzeuge aufgerufen, darum wurde die Antwort angehalten.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Tool limit reached: the model was asked to answer with what it has.</source>
        <translation>Werkzeuggrenze erreicht: Das Modell wurde gebeten, mit dem zu antworten, was es hat.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>A tool failed with an internal error.</source>
        <translation>Ein Werkzeug ist mit einem internen Fehler gescheitert.</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <location filename="../../app/ui/banner.py" line="+27"/>
        <location line="+31"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>Open log</source>
        <translation>Protokoll öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the log file</source>
        <translation>Die Protokolldatei öffnen</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <location filename="../../app/ui/help_window.py" line="+62"/>
        <source>Hearth guide</source>
        <translation>Hearth-Hilfe</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Guide topics</source>
        <translation>Hilfethemen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Guide page</source>
        <translation>Hilfeseite</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The guide could not be read: {error}</source>
        <translation>Die Hilfe konnte nicht gelesen werden: {error}</translation>
    </message>
</context>
<context>
    <name>Hearth</name>
    <message>
        <location filename="../../app/ui/messages.py" line="+15"/>
        <source>Something went wrong; details are in the log.</source>
        <translation>Etwas ist schiefgegangen; Einzelheiten stehen im Protokoll.</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../app/store/errors.py" line="+48"/>
        <source>This history was written by a newer version of Hearth (history format {found}; this version understands up to {known}). Update Hearth to open it.</source>
        <translation>Dieser Verlauf wurde von einer neueren Version von Hearth geschrieben (Verlaufsformat {found}; diese Version versteht bis {known}). Aktualisiere Hearth, um ihn zu öffnen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The file {path} is not a Hearth history, so Hearth will not change it.</source>
        <translation>Die Datei {path} ist kein Hearth-Verlauf, deshalb ändert Hearth sie nicht.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Hearth cannot use its history file {path}: {reason}.</source>
        <translation>Hearth kann seine Verlaufsdatei {path} nicht verwenden: {reason}.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The file {path} is not a Hearth history, or it is too damaged to open.</source>
        <translation>Die Datei {path} ist kein Hearth-Verlauf oder zu stark beschädigt, um sie zu öffnen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The history file {path} is damaged, so Hearth cannot read it.</source>
        <translation>Die Verlaufsdatei {path} ist beschädigt, deshalb kann Hearth sie nicht lesen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The disk is full, so Hearth could not save your chat history. Free up some space and try again.</source>
        <translation>Die Festplatte ist voll, deshalb konnte Hearth deinen Chatverlauf nicht speichern. Schaff etwas Platz und versuch es noch einmal.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hearth cannot save to its history file {path} because the file or its folder is read-only.</source>
        <translation>Hearth kann nicht in seine Verlaufsdatei {path} speichern, weil die Datei oder ihr Ordner schreibgeschützt ist.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hearth cannot open its history file {path}. Check that the folder exists and that you are allowed to write to it.</source>
        <translation>Hearth kann seine Verlaufsdatei {path} nicht öffnen. Prüfe, ob der Ordner existiert und ob du darin schreiben darfst.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The chat history is busy, perhaps in another Hearth window. Try again in a moment.</source>
        <translation>Der Chatverlauf ist gerade belegt, vielleicht von einem anderen Hearth-Fenster. Versuch es gleich noch einmal.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A disk error stopped Hearth from reading or writing its history file {path}.</source>
        <translation>Ein Festplattenfehler hat Hearth daran gehindert, seine Verlaufsdatei {path} zu lesen oder zu schreiben.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The computer ran out of memory while Hearth was using its chat history.</source>
        <translation>Dem Computer ist der Arbeitsspeicher ausgegangen, während Hearth den Chatverlauf benutzt hat.</translation>
    </message>
    <message>
        <location filename="../../app/store/history.py" line="+194"/>
        <source>This conversation was deleted, so the message could not be saved.</source>
        <translation>Diese Unterhaltung wurde gelöscht, deshalb konnte die Nachricht nicht gespeichert werden.</translation>
    </message>
</context>
<context>
    <name>InstalledRow</name>
    <message>
        <location filename="../../app/ui/model_rows.py" line="+116"/>
        <source>Can&apos;t be used: {problem}</source>
        <translation>Nicht verwendbar: {problem}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verified</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not verified</source>
        <translation>Nicht geprüft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} (base model)</source>
        <translation>{name} (Basismodell)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check</source>
        <translation>Prüfstatus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use</source>
        <translation>Verwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use {name}</source>
        <translation>{name} verwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load this model and chat with it</source>
        <translation>Dieses Modell laden und damit chatten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {name}</source>
        <translation>{name} löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the model&apos;s file from this computer</source>
        <translation>Die Modelldatei von diesem Computer entfernen</translation>
    </message>
</context>
<context>
    <name>InstructionsLine</name>
    <message>
        <location filename="../../app/ui/conversation_panel.py" line="+18"/>
        <source>Instructions for the model</source>
        <translation>Anweisungen an das Modell</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Change…</source>
        <translation>Ändern…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change the conversation&apos;s settings</source>
        <translation>Einstellungen der Unterhaltung ändern</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Instructions: {text}</source>
        <translation>Anweisungen: {text}</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../../app/ui/settings_pages.py" line="+24"/>
        <source>Same as the system ({language})</source>
        <translation>Wie das System ({language})</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+10"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>The language of Hearth&apos;s menus, buttons and messages</source>
        <translation>Die Sprache der Menüs, Schaltflächen und Meldungen von Hearth</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hearth will use the new language the next time it starts.</source>
        <translation>Hearth verwendet die neue Sprache ab dem nächsten Start.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="+86"/>
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
    <message>
        <location line="+213"/>
        <source>Diagnostics copied: paste them into your bug report.</source>
        <translation>Diagnosedaten kopiert: Füge sie in deine Fehlermeldung ein.</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <location filename="../../app/ui/menus.py" line="+74"/>
        <location filename="../../app/ui/platform_check.py" line="+31"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;New chat</source>
        <translation>&amp;Neuer Chat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Search conversations…</source>
        <translation>&amp;Unterhaltungen durchsuchen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Attach documents…</source>
        <translation>Dokumente &amp;anhängen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Manage models…</source>
        <translation>&amp;Modelle verwalten…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open a .gguf model file…</source>
        <translation>.gguf-Modelldatei ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Import conversations…</source>
        <translation>Unterhaltungen &amp;importieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export all conversations…</source>
        <translation>Alle Unterhaltungen &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Se&amp;ttings…</source>
        <translation>Ein&amp;stellungen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hearth &amp;guide</source>
        <translation>&amp;Hearth-Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Copy diagnostics</source>
        <translation>&amp;Diagnosedaten kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Hearth</source>
        <translation>Ü&amp;ber Hearth</translation>
    </message>
</context>
<context>
    <name>MessageText</name>
    <message>
        <location filename="../../app/ui/message_text.py" line="+236"/>
        <source>Copy this code</source>
        <translation>Diesen Code kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show this passage</source>
        <translation>Diesen Abschnitt zeigen</translation>
    </message>
</context>
<context>
    <name>ModelBar</name>
    <message>
        <location filename="../../app/ui/model_bar.py" line="+119"/>
        <source>Loading model</source>
        <translation>Modell wird geladen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reasoning:</source>
        <translation>Nachdenken:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reasoning effort</source>
        <translation>Nachdenken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long the model thinks before it answers</source>
        <translation>Wie lange das Modell nachdenkt, bevor es antwortet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Think</source>
        <translation>Nachdenken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Think before answering</source>
        <translation>Vor dem Antworten nachdenken</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model thinks before it answers: better answers to hard questions, but slower</source>
        <translation>Das Modell denkt vor dem Antworten nach: bessere Antworten auf schwierige Fragen, aber langsamer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Instructions…</source>
        <translation>Anweisungen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversation settings</source>
        <translation>Einstellungen der Unterhaltung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Instructions for the model, reasoning effort and temperature for this conversation</source>
        <translation>Anweisungen an das Modell, Nachdenken und Temperatur für diese Unterhaltung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Context used</source>
        <translation>Belegter Kontext</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%v / %m tokens</source>
        <translation>%v / %m Token</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How much of the model&apos;s memory for this conversation is used</source>
        <translation>Wie viel vom Gedächtnis des Modells für diese Unterhaltung schon belegt ist</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Runs with a context of {count} tokens</source>
        <translation>Läuft mit einem Kontext von {count} Token</translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <location filename="../../app/ui/model_controller.py" line="+138"/>
        <source>Open a model file</source>
        <translation>Modelldatei öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF-Modelle (*.gguf);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <location filename="../../app/ui/model_manager.py" line="+74"/>
        <source>Models</source>
        <translation>Modelle verwalten</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Welcome</source>
        <translation>Willkommen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No models installed yet.</source>
        <translation>Noch keine Modelle installiert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a .gguf…</source>
        <translation>.gguf importieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a GGUF model file</source>
        <translation>Eine GGUF-Modelldatei importieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy a .gguf model you already have into Hearth&apos;s models folder</source>
        <translation>Ein .gguf-Modell, das du schon hast, in den Modellordner von Hearth kopieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hugging Face token…</source>
        <translation>Hugging-Face-Token…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set the Hugging Face token for gated models</source>
        <translation>Hugging-Face-Token für zugangsbeschränkte Modelle festlegen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only needed for models whose owners require you to sign in</source>
        <translation>Nur nötig für Modelle, deren Anbieter eine Anmeldung verlangen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Available to download</source>
        <translation>Zum Herunterladen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>{done} of {total} was downloaded earlier; click Download to go on from there.</source>
        <translation>{done} von {total} wurden schon heruntergeladen; klicke auf „Herunterladen“, um dort weiterzumachen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{done} was downloaded earlier; click Download to go on from there.</source>
        <translation>{done} wurden schon heruntergeladen; klicke auf „Herunterladen“, um dort weiterzumachen.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>size unknown</source>
        <translation>Größe unbekannt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Welcome to Hearth. Your computer has {memory} of memory; we recommend {name} ({size} download). Download it below, or import a .gguf model you already have.</source>
        <translation>Willkommen bei Hearth. Dein Computer hat {memory} Arbeitsspeicher; wir empfehlen {name} (Download: {size}). Lade es unten herunter oder importiere ein .gguf-Modell, das du schon hast.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resuming…</source>
        <translation>Wird fortgesetzt…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Downloaded and verified.</source>
        <translation>Heruntergeladen und geprüft.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Paused. Resume continues where it stopped.</source>
        <translation>Pausiert. „Fortsetzen“ macht dort weiter, wo der Download aufgehört hat.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download cancelled.</source>
        <translation>Download abgebrochen.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Delete model</source>
        <translation>Modell löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {name} ({size})? This cannot be undone.</source>
        <translation>{name} ({size}) löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Import a model</source>
        <translation>Modell importieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hugging Face token</source>
        <translation>Hugging-Face-Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paste a read token from your Hugging Face account settings:</source>
        <translation>Füge einen Token mit Leserechten aus deinen Kontoeinstellungen bei Hugging Face ein:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The token is saved in this computer&apos;s keyring.</source>
        <translation>Der Token ist im Schlüsselbund dieses Computers gespeichert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This computer has no keyring, so the token is kept only until Hearth closes.</source>
        <translation>Dieser Computer hat keinen Schlüsselbund, deshalb behält Hearth den Token nur, bis du Hearth beendest.</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <location filename="../../app/ui/settings_model_page.py" line="+89"/>
        <source>Changing the context length, GPU layers or threads reloads the model.</source>
        <translation>Wenn du die Kontextlänge, die GPU-Schichten oder die Threads änderst, wird das Modell neu geladen.</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+9"/>
        <source>Context length</source>
        <translation>Kontextlänge</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>How much text the model can keep in mind at once: the conversation and your documents. More needs more memory.</source>
        <translation>Wie viel Text das Modell auf einmal im Blick behält: die Unterhaltung und deine Dokumente. Mehr braucht mehr Arbeitsspeicher.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Auto</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <source>GPU layers</source>
        <translation>GPU-Schichten</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>How much of the model runs on the graphics chip. Auto lets Hearth decide; 0 uses none.</source>
        <translation>Wie viel vom Modell auf dem Grafikchip läuft. Bei „Automatisch“ entscheidet Hearth; 0 nutzt den Grafikchip nicht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This version of Hearth runs models on the processor only, so this has no effect.</source>
        <translation>Diese Version von Hearth führt Modelle nur auf dem Prozessor aus, deshalb hat diese Einstellung keine Wirkung.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Auto ({cores} cores)</source>
        <translation>Automatisch ({cores} Kerne)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>Processor threads</source>
        <translation>Prozessor-Threads</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>How many processor cores work on each reply. Auto uses one per physical core.</source>
        <translation>Wie viele Prozessorkerne an jeder Antwort arbeiten. „Automatisch“ nutzt einen pro physischem Kern.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+9"/>
        <source>Default reasoning effort</source>
        <translation>Nachdenken (Standard)</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>How long models that reason think before answering, in a new conversation</source>
        <translation>Wie lange Modelle, die nachdenken können, in einer neuen Unterhaltung vor dem Antworten nachdenken</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+6"/>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+11"/>
        <source>Use the model&apos;s default</source>
        <translation>Standardwert des Modells verwenden</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Lower gives steadier, more predictable replies; higher gives more varied ones</source>
        <translation>Niedriger ergibt gleichmäßigere, vorhersehbarere Antworten, höher abwechslungsreichere</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+6"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>The model picks its next word only among the likeliest ones that add up to this share</source>
        <translation>Das Modell wählt sein nächstes Wort nur unter den wahrscheinlichsten, die zusammen diesen Anteil ausmachen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> tokens</source>
        <translation> Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>Maximum reply length</source>
        <translation>Maximale Antwortlänge</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>No limit</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stops a reply after this many tokens (a token is about three quarters of a word)</source>
        <translation>Beendet eine Antwort nach so vielen Token (ein Token ist etwa drei Viertel eines Wortes)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Automatic: the longest that fits this computer</source>
        <translation>Automatisch: der längste, der auf diesen Computer passt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic: now {count} tokens</source>
        <translation>Automatisch: jetzt {count} Token</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} tokens</source>
        <translation>{count} Token</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{tokens}: more than this model can use</source>
        <translation>{tokens}: mehr, als dieses Modell nutzen kann</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{tokens}: about {memory} of memory with this model</source>
        <translation>{tokens}: mit diesem Modell etwa {memory} Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Load a model to see how much memory each length needs.</source>
        <translation>Lade ein Modell, um zu sehen, wie viel Arbeitsspeicher jede Länge braucht.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} can use up to {count} tokens.</source>
        <translation>{name} kann bis zu {count} Token nutzen.</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../../app/ui/model_bar.py" line="-158"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model that answers. Choose another, or manage your models.</source>
        <translation>Das Modell, das antwortet. Wähle ein anderes oder verwalte deine Modelle.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Choose a model</source>
        <translation>Modell wählen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name}  ·  {size}</source>
        <translation>{name}  ·  {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Verified: the download matched the publisher&apos;s checksum.</source>
        <translation>Geprüft: Der Download stimmt mit der Prüfsumme des Anbieters überein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Added from a file.</source>
        <translation>Aus einer Datei hinzugefügt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Manage models…</source>
        <translation>Modelle verwalten…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a .gguf file…</source>
        <translation>.gguf-Datei öffnen…</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <location filename="../../app/models/catalog.py" line="+78"/>
        <source>The best choice for most computers with 16 GB of memory: smart, and quick to answer.</source>
        <translation>Die beste Wahl für die meisten Computer mit 16 GB Arbeitsspeicher: klug und schnell.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same model packed a little smaller; answers are nearly identical.</source>
        <translation>Dasselbe Modell, etwas kleiner verpackt; die Antworten sind fast gleich.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same model with less rounding of its numbers; a little larger.</source>
        <translation>Dasselbe Modell mit weniger stark gerundeten Zahlen; etwas größer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same model at the highest precision; the largest download of the three.</source>
        <translation>Dasselbe Modell in höchster Genauigkeit; der größte Download der drei.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The much larger model: smarter, but needs a computer with 64 GB of memory or more.</source>
        <translation>Das viel größere Modell: klüger, braucht aber einen Computer mit 64 GB Arbeitsspeicher oder mehr.</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>“{repo}” does not look like a Hugging Face model name (owner/name)</source>
        <translation>„{repo}“ sieht nicht wie ein Modellname bei Hugging Face aus (Besitzer/Name)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{name}” is not a GGUF file; Hearth can only run .gguf models</source>
        <translation>„{name}“ ist keine GGUF-Datei; Hearth kann nur .gguf-Modelle ausführen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>“{name}” is not a file name Hearth can use</source>
        <translation>„{name}“ ist kein Dateiname, den Hearth verwenden kann</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>A model you added from {repo}.</source>
        <translation>Ein Modell, das du aus {repo} hinzugefügt hast.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{repo} has no file called {name}</source>
        <translation>{repo} hat keine Datei namens {name}</translation>
    </message>
    <message>
        <location filename="../../app/models/hardware.py" line="+124"/>
        <source>It would be far too slow here; choose a smaller model or a shorter context.</source>
        <translation>Es wäre hier viel zu langsam; wähle ein kleineres Modell oder einen kürzeren Kontext.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>It may run, but leaves too little for everything else; expect the computer to slow down.</source>
        <translation>Es läuft vielleicht, lässt aber zu wenig für alles andere übrig; rechne damit, dass der Computer langsamer wird.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Close other apps first to make room.</source>
        <translation>Schließ vorher andere Programme, um Platz zu schaffen.</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>It should run comfortably.</source>
        <translation>Es sollte bequem laufen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Needs about {needed}; this computer has {total} ({free} free now). {advice}</source>
        <translation>Braucht etwa {needed}; dieser Computer hat {total} ({free} gerade frei). {advice}</translation>
    </message>
    <message>
        <location filename="../../app/models/library.py" line="+146"/>
        <source>part {index}</source>
        <translation>Teil {index}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the file cannot be read ({reason})</source>
        <translation>die Datei kann nicht gelesen werden ({reason})</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>{name} is one of {count} parts of a model, and {missing} is not next to it.</source>
        <translation>{name} ist einer von {count} Teilen eines Modells, und {missing} liegt nicht im selben Ordner.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} can&apos;t be used: {problem}.</source>
        <translation>{name} kann nicht verwendet werden: {problem}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} was not found.</source>
        <translation>{name} wurde nicht gefunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} can&apos;t be read ({reason}).</source>
        <translation>{name} kann nicht gelesen werden ({reason}).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A different model called {name} is already installed; rename one of them.</source>
        <translation>Ein anderes Modell namens {name} ist schon installiert; benenne eines der beiden um.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Not enough disk space to import {name}.</source>
        <translation>Nicht genug Platz auf der Festplatte, um {name} zu importieren.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} could not be copied ({reason}).</source>
        <translation>{name} konnte nicht kopiert werden ({reason}).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A model called {name} appeared while importing; try again.</source>
        <translation>Während des Imports ist ein Modell namens {name} aufgetaucht; versuch es noch einmal.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>{name} disappeared right after importing.</source>
        <translation>{name} ist direkt nach dem Import verschwunden.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{name} could not be deleted ({reason}).</source>
        <translation>{name} konnte nicht gelöscht werden ({reason}).</translation>
    </message>
</context>
<context>
    <name>PassageViewer</name>
    <message>
        <location filename="../../app/ui/document_viewer.py" line="+44"/>
        <source>{name}, page {page}</source>
        <translation>{name}, Seite {page}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Where this passage comes from</source>
        <translation>Woher dieser Abschnitt stammt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Passage</source>
        <translation>Abschnitt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Open the whole document</source>
        <translation>Ganzes Dokument öffnen</translation>
    </message>
</context>
<context>
    <name>PendingAttachment</name>
    <message>
        <location filename="../../app/ui/attachments.py" line="-161"/>
        <source>This file could not be read.</source>
        <translation>Diese Datei konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Something went wrong while reading this file; details are in the log.</source>
        <translation>Beim Lesen dieser Datei ist etwas schiefgegangen; Einzelheiten stehen im Protokoll.</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <location filename="../../app/presets.py" line="+51"/>
        <source>General assistant</source>
        <translation>Allgemeiner Assistent</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Writing editor</source>
        <translation>Lektor</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Translator</source>
        <translation>Übersetzer</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Code reviewer</source>
        <translation>Code-Prüfer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Summariser</source>
        <translation>Zusammenfasser</translation>
    </message>
</context>
<context>
    <name>PrivacyPage</name>
    <message>
        <location filename="../../app/ui/settings_privacy_page.py" line="+56"/>
        <source>Your conversations and documents stay on this computer. Hearth uses the internet only to download the models you choose.</source>
        <translation>Deine Unterhaltungen und Dokumente bleiben auf diesem Computer. Hearth nutzt das Internet nur, um die Modelle herunterzuladen, die du auswählst.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the conversations folder</source>
        <translation>Den Ordner mit den Unterhaltungen zeigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the models folder</source>
        <translation>Den Ordner mit den Modellen zeigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logs</source>
        <translation>Protokolle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the logs folder</source>
        <translation>Den Ordner mit den Protokollen zeigen</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Show in file manager</source>
        <translation>Im Dateimanager zeigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open this folder in your file manager</source>
        <translation>Diesen Ordner in deinem Dateimanager öffnen</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+5"/>
        <source>Hugging Face token</source>
        <translation>Hugging-Face-Token</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paste a read token</source>
        <translation>Token mit Leserechten einfügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only needed for models whose owners ask you to sign in before downloading</source>
        <translation>Nur nötig für Modelle, deren Anbieter vor dem Herunterladen eine Anmeldung verlangen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save token</source>
        <translation>Token speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the token in this computer&apos;s keyring</source>
        <translation>Den Token im Schlüsselbund dieses Computers aufbewahren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remove token</source>
        <translation>Token entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forget the saved token</source>
        <translation>Den gespeicherten Token vergessen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete all conversations…</source>
        <translation>Alle Unterhaltungen löschen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete every conversation and its documents from this computer</source>
        <translation>Alle Unterhaltungen und ihre Dokumente von diesem Computer löschen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>A token is saved.</source>
        <translation>Ein Token ist gespeichert.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No token is saved. Most models need none.</source>
        <translation>Kein Token gespeichert. Die meisten Modelle brauchen keinen.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The token is saved in this computer&apos;s keyring.</source>
        <translation>Der Token ist im Schlüsselbund dieses Computers gespeichert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This computer has no keyring, so the token is kept only until Hearth closes.</source>
        <translation>Dieser Computer hat keinen Schlüsselbund, deshalb behält Hearth den Token nur, bis du Hearth beendest.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Delete all conversations?</source>
        <translation>Alle Unterhaltungen löschen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every conversation and every attached document will be deleted from this computer. This cannot be undone.</source>
        <translation>Alle Unterhaltungen und alle angehängten Dokumente werden von diesem Computer gelöscht. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Deleted 1 conversation.</source>
        <translation>1 Unterhaltung gelöscht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleted {count} conversations.</source>
        <translation>{count} Unterhaltungen gelöscht.</translation>
    </message>
</context>
<context>
    <name>PythonExplanation</name>
    <message>
        <location filename="../../app/ui/tool_switches.py" line="+76"/>
        <source>Let the model run Python?</source>
        <translation>Das Modell Python ausführen lassen?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The model can write small Python programs and run them: to calculate, and to read the files attached to this conversation.</source>
        <translation>Das Modell kann kleine Python-Programme schreiben und ausführen: zum Rechnen und um die Dateien zu lesen, die an diese Unterhaltung angehängt sind.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>They run in a sandbox on this computer. The sandbox has no internet and cannot see your files: only copies of this conversation&apos;s attachments.</source>
        <translation>Sie laufen in einer Sandbox auf diesem Computer. Die Sandbox hat kein Internet und sieht deine Dateien nicht, nur Kopien der Anhänge dieser Unterhaltung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each run may take at most {seconds} seconds and {megabytes} MB of memory.</source>
        <translation>Jeder Lauf darf höchstens {seconds} Sekunden dauern und {megabytes} MB Speicher belegen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What the model ran, and what came out, is shown under “Reasoning” in its reply.</source>
        <translation>Was das Modell ausgeführt hat und was herauskam, steht in seiner Antwort unter „Gedanken“.</translation>
    </message>
</context>
<context>
    <name>PythonTool</name>
    <message>
        <location filename="../../app/tools/python_runtime.py" line="+84"/>
        <source>Python for the sandbox is not installed with this copy of Hearth.</source>
        <translation>Python für die Sandbox ist mit dieser Hearth-Installation nicht installiert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Python for the sandbox is damaged: its file is not the expected one.</source>
        <translation>Python für die Sandbox ist beschädigt: Seine Datei ist nicht die erwartete.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Python could not be started.</source>
        <translation>Python konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <location filename="../../app/tools/python_tool.py" line="+103"/>
        <source>Python stopped: it ran longer than 1 second</source>
        <translation>Python angehalten: Es lief länger als 1 Sekunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python stopped: it ran longer than {limit} seconds</source>
        <translation>Python angehalten: Es lief länger als {limit} Sekunden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Python was stopped</source>
        <translation>Python wurde angehalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Python stopped unexpectedly and was started again</source>
        <translation>Python hat unerwartet aufgehört und wurde neu gestartet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Python ran out of memory after {seconds} s</source>
        <translation>Python hatte nach {seconds} s keinen Speicher mehr</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ran Python, {seconds} s: the code stopped with an error</source>
        <translation>Python ausgeführt, {seconds} s: Der Code endete mit einem Fehler</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ran Python, {seconds} s</source>
        <translation>Python ausgeführt, {seconds} s</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The model asked to run Python without any code</source>
        <translation>Das Modell wollte Python ohne Code ausführen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Output:</source>
        <translation>Ausgabe:</translation>
    </message>
</context>
<context>
    <name>Render</name>
    <message>
        <location filename="../../app/ui/render_labels.py" line="+17"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[image: {alt}]</source>
        <translation>[Bild: {alt}]</translation>
    </message>
</context>
<context>
    <name>ReplyWidget</name>
    <message>
        <location filename="../../app/ui/reply_widget.py" line="+84"/>
        <source>Writing…</source>
        <translation>Schreibt…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Show or hide the model&apos;s reasoning</source>
        <translation>Gedanken des Modells zeigen oder ausblenden</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../app/ui/tool_activity.py" line="+200"/>
        <source>Reasoning</source>
        <translation>Gedanken</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Note about earlier messages</source>
        <translation>Hinweis zu früheren Nachrichten</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Problem with this reply</source>
        <translation>Problem mit dieser Antwort</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reply details</source>
        <translation>Details zur Antwort</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy reply</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Regenerate reply</source>
        <translation>Antwort neu erzeugen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write this reply again</source>
        <translation>Diese Antwort noch einmal schreiben</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Other versions of this reply</source>
        <translation>Andere Fassungen dieser Antwort</translation>
    </message>
    <message numerus="yes">
        <location line="+104"/>
        <source>Dropped %n earlier message to fit</source>
        <translation>
            <numerusform>%n frühere Nachricht weggelassen, damit alles passt</numerusform>
            <numerusform>%n frühere Nachrichten weggelassen, damit alles passt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Dropped %n earlier messages to fit</source>
        <translation>
            <numerusform>%n frühere Nachricht weggelassen, damit alles passt</numerusform>
            <numerusform>%n frühere Nachrichten weggelassen, damit alles passt</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The conversation was too long for the model, so it did not see the oldest messages.</source>
        <translation>Die Unterhaltung war zu lang für das Modell, deshalb hat es die ältesten Nachrichten nicht gesehen.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Something went wrong while writing this reply.</source>
        <translation>Beim Schreiben dieser Antwort ist etwas schiefgegangen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/tool_activity.py" line="-5"/>
        <source>Searching…</source>
        <translation>Sucht…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Calculating…</source>
        <translation>Rechnet…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thinking…</source>
        <translation>Denkt nach…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reasoning · 1 step</source>
        <translation>Gedanken · 1 Schritt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning · {count} steps</source>
        <translation>Gedanken · {count} Schritte</translation>
    </message>
    <message>
        <location filename="../../app/ui/reply_widget.py" line="+81"/>
        <source>Hide reasoning</source>
        <translation>Gedanken ausblenden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show reasoning</source>
        <translation>Gedanken zeigen</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_helpers.py" line="-75"/>
        <source>The question and history took {prompt} tokens ({cached} reused from before).</source>
        <translation>Frage und Verlauf belegten {prompt} Token ({cached} davon von vorher wiederverwendet).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The question and history took {prompt} tokens.</source>
        <translation>Frage und Verlauf belegten {prompt} Token.</translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message>
        <location filename="../../app/ui/search_results.py" line="+108"/>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Nothing found for “{query}”.</source>
        <translation>Nichts gefunden für „{query}“.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>You</source>
        <translation>Du</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
</context>
<context>
    <name>SettingsWindow</name>
    <message>
        <location filename="../../app/ui/settings_window.py" line="+50"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Settings sections</source>
        <translation>Bereiche der Einstellungen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Privacy and data</source>
        <translation>Datenschutz und Daten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Use the changed settings and close</source>
        <translation>Die geänderten Einstellungen übernehmen und schließen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close without changing anything</source>
        <translation>Schließen, ohne etwas zu ändern</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use the changed settings now and keep this window open</source>
        <translation>Die geänderten Einstellungen jetzt übernehmen und dieses Fenster offen lassen</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <location filename="../../app/ui/shortcut_sheet.py" line="+22"/>
        <location line="+3"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../app/ui/shortcuts.py" line="+26"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search conversations</source>
        <translation>Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manage models</source>
        <translation>Modelle verwalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a .gguf model file</source>
        <translation>Eine .gguf-Modelldatei öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attach documents</source>
        <translation>Dokumente anhängen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send the message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New line in the message</source>
        <translation>Neue Zeile in der Nachricht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the reply</source>
        <translation>Antwort stoppen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename the selected conversation</source>
        <translation>Ausgewählte Unterhaltung umbenennen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete the selected conversation</source>
        <translation>Ausgewählte Unterhaltung löschen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the guide</source>
        <translation>Hilfe öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Enter</source>
        <translation>Eingabetaste</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../app/ui/sidebar.py" line="+72"/>
        <source>Search ({keys})</source>
        <translation>Suchen ({keys})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search conversations</source>
        <translation>Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find words in titles, messages, reasoning and attached documents</source>
        <translation>Wörter in Titeln, Nachrichten, Gedanken und angehängten Dokumenten finden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start a new conversation ({keys})</source>
        <translation>Eine neue Unterhaltung beginnen ({keys})</translation>
    </message>
</context>
<context>
    <name>StartupDialog</name>
    <message>
        <location filename="../../app/ui/startup_dialog.py" line="+31"/>
        <source>Hearth cannot start</source>
        <translation>Hearth kann nicht starten</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Hearth could not start because of an unexpected problem. The details are in the log file “{path}”.</source>
        <translation>Hearth konnte wegen eines unerwarteten Problems nicht starten. Die Einzelheiten stehen in der Protokolldatei „{path}“.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hearth could not start because of an unexpected problem: {summary}</source>
        <translation>Hearth konnte wegen eines unerwarteten Problems nicht starten: {summary}</translation>
    </message>
</context>
<context>
    <name>ToolSwitchesBox</name>
    <message>
        <location filename="../../app/ui/tool_switches.py" line="+29"/>
        <source>Let the model search your past conversations</source>
        <translation>Das Modell in deinen früheren Unterhaltungen suchen lassen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Besides the attached documents, it may look up what was said in your other conversations</source>
        <translation>Neben den angehängten Dokumenten darf es nachsehen, was in deinen anderen Unterhaltungen gesagt wurde</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Let the model run Python code</source>
        <translation>Das Modell Python-Code ausführen lassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To calculate and to read the attached files, in a sandbox</source>
        <translation>Zum Rechnen und zum Lesen der angehängten Dateien, in einer Sandbox</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The model can search your past conversations and run Python only with gpt-oss.</source>
        <translation>Nur mit gpt-oss kann das Modell in früheren Unterhaltungen suchen und Python ausführen.</translation>
    </message>
</context>
<context>
    <name>Tools</name>
    <message>
        <location filename="../../app/tools/toolbox.py" line="+117"/>
        <source>The model asked for a tool that is not here: {name}</source>
        <translation>Das Modell hat ein Werkzeug verlangt, das es hier nicht gibt: {name}</translation>
    </message>
</context>
<context>
    <name>Transfer</name>
    <message>
        <location filename="../../app/transfer/api.py" line="+47"/>
        <source>There is no conversation with id {ids}.</source>
        <translation>Es gibt keine Unterhaltung mit der ID {ids}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There are no conversations with ids {ids}.</source>
        <translation>Es gibt keine Unterhaltungen mit den IDs {ids}.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Nothing to import: {name} holds no conversations; skipped {skipped}.</source>
        <translation>Nichts zu importieren: {name} enthält keine Unterhaltungen; ausgelassen: {skipped}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing to import: {name} holds no conversations.</source>
        <translation>Nichts zu importieren: {name} enthält keine Unterhaltungen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Imported {conversations} ({messages}) from {name}; skipped {skipped}.</source>
        <translation>{conversations} ({messages}) aus {name} importiert; ausgelassen: {skipped}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Imported {conversations} ({messages}) from {name}.</source>
        <translation>{conversations} ({messages}) aus {name} importiert.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>1 conversation</source>
        <translation>1 Unterhaltung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} conversations</source>
        <translation>{count} Unterhaltungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 message</source>
        <translation>1 Nachricht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} messages</source>
        <translation>{count} Nachrichten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 image</source>
        <translation>1 Bild</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} images</source>
        <translation>{count} Bilder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 audio clip</source>
        <translation>1 Audioaufnahme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} audio clips</source>
        <translation>{count} Audioaufnahmen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 video</source>
        <translation>1 Video</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} videos</source>
        <translation>{count} Videos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 file</source>
        <translation>1 Datei</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} files</source>
        <translation>{count} Dateien</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 other item</source>
        <translation>1 sonstiges Element</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} other items</source>
        <translation>{count} sonstige Elemente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 tool message</source>
        <translation>1 Werkzeugnachricht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} tool messages</source>
        <translation>{count} Werkzeugnachrichten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 tool call</source>
        <translation>1 Werkzeugaufruf</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} tool calls</source>
        <translation>{count} Werkzeugaufrufe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 empty conversation</source>
        <translation>1 leere Unterhaltung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} empty conversations</source>
        <translation>{count} leere Unterhaltungen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{name} is neither a Hearth export nor a ChatGPT export.</source>
        <translation>{name} ist weder ein Export aus Hearth noch aus ChatGPT.</translation>
    </message>
    <message>
        <location filename="../../app/transfer/archive.py" line="+50"/>
        <source>The file {path} was not found.</source>
        <translation>Die Datei {path} wurde nicht gefunden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{path} is a folder; choose the exported file itself.</source>
        <translation>{path} ist ein Ordner; wähle die exportierte Datei selbst.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hearth cannot read {path}: {reason}.</source>
        <translation>Hearth kann {path} nicht lesen: {reason}.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} is not a text file, so it is not an export Hearth can read.</source>
        <translation>{name} ist keine Textdatei und damit kein Export, den Hearth lesen kann.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} is empty.</source>
        <translation>{name} ist leer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} is not JSON, so it is not an export Hearth can read.</source>
        <translation>{name} ist kein JSON und damit kein Export, den Hearth lesen kann.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} is incomplete: it ends in the middle of its data.</source>
        <translation>{name} ist unvollständig: Die Datei endet mitten in ihren Daten.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name} is damaged: it stops being valid JSON at line {line}, column {column}.</source>
        <translation>{name} ist beschädigt: Ab Zeile {line}, Spalte {column} ist der Inhalt kein gültiges JSON mehr.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} is nested too deeply to be an export.</source>
        <translation>{name} ist zu tief verschachtelt, um ein Export zu sein.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} is larger than {limit}; Hearth does not import files that big.</source>
        <translation>{name} ist größer als {limit}; so große Dateien importiert Hearth nicht.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{name} holds no {file}, so it is not a ChatGPT export Hearth can import.</source>
        <translation>{name} enthält keine Datei {file} und ist damit kein ChatGPT-Export, den Hearth importieren kann.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{name} would unpack to more than {limit}; Hearth does not import files that big.</source>
        <translation>{name} wäre entpackt größer als {limit}; so große Dateien importiert Hearth nicht.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{name} is a damaged or incomplete zip file (perhaps its download did not finish).</source>
        <translation>{name} ist eine beschädigte oder unvollständige ZIP-Datei (vielleicht wurde der Download nicht abgeschlossen).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} is protected by a password, so Hearth cannot read it.</source>
        <translation>{name} ist mit einem Passwort geschützt, deshalb kann Hearth die Datei nicht lesen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} is compressed in a way Hearth cannot read.</source>
        <translation>{name} ist auf eine Weise komprimiert, die Hearth nicht lesen kann.</translation>
    </message>
    <message>
        <location filename="../../app/transfer/chatgpt.py" line="+57"/>
        <source>{name}: conversation {number}</source>
        <translation>{name}: Unterhaltung {number}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>{where} is damaged: it is not a JSON object.</source>
        <translation>{where} ist beschädigt: Sie ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{where} is damaged: it has no message tree (“mapping”).</source>
        <translation>{where} ist beschädigt: Der Nachrichtenbaum („mapping“) fehlt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{where} is damaged: it has a node that is not a JSON object.</source>
        <translation>{where} ist beschädigt: Ein Knoten ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{where} is damaged: it has messages whose parents loop back on themselves.</source>
        <translation>{where} ist beschädigt: Die Eltern einiger Nachrichten bilden eine Schleife.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{where} is damaged: it has a node whose parent is not a node id.</source>
        <translation>{where} ist beschädigt: Ein Knoten verweist auf ein Elternelement, das keine Knoten-ID ist.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{where} is damaged: it has a message that is not a JSON object.</source>
        <translation>{where} ist beschädigt: Eine Nachricht ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <location filename="../../app/transfer/hearth_json.py" line="+53"/>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a whole number</source>
        <translation>eine ganze Zahl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>true or false</source>
        <translation>wahr oder falsch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an object</source>
        <translation>ein Objekt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a date</source>
        <translation>ein Datum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a list</source>
        <translation>eine Liste</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>{where} is not a JSON object</source>
        <translation>{where} ist kein JSON-Objekt</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{where} has no “{key}”</source>
        <translation>{where} hat kein Feld „{key}“</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+46"/>
        <source>{where} has a “{key}” that is not {type}</source>
        <translation>{where} hat ein Feld „{key}“, das nicht {type} ist</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>{where} has a “{key}” that is not one of {allowed}</source>
        <translation>{where} hat ein Feld „{key}“ mit keinem der Werte {allowed}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{name} is not a Hearth export Hearth can read: {problem}.</source>
        <translation>{name} ist kein Hearth-Export, den Hearth lesen kann: {problem}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its top level</source>
        <translation>die oberste Ebene</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is not a Hearth export.</source>
        <translation>{name} ist kein Hearth-Export.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} was exported by a newer version of Hearth (export version {version}; this version reads up to {known}). Update Hearth to import it.</source>
        <translation>{name} wurde von einer neueren Version von Hearth exportiert (Exportversion {version}; diese Version liest bis {known}). Aktualisiere Hearth, um die Datei zu importieren.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its version {version} is unknown</source>
        <translation>die Version {version} ist unbekannt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>conversation {number}</source>
        <translation>Unterhaltung {number}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>message {number}</source>
        <translation>Nachricht {number}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{where} has two messages with the id {id}</source>
        <translation>{where} hat zwei Nachrichten mit der ID {id}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>attachment {number}</source>
        <translation>Anhang {number}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>anchor {number}</source>
        <translation>Anker {number}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>note {number}</source>
        <translation>Hinweis {number}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>passage id {number}</source>
        <translation>Abschnitts-ID {number}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{where} is not [offset, page, heading]</source>
        <translation>{where} ist nicht [offset, page, heading]</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{where} is not {type}</source>
        <translation>{where} ist nicht {type}</translation>
    </message>
</context>
<context>
    <name>TransferActions</name>
    <message>
        <location filename="../../app/ui/transfer_actions.py" line="+43"/>
        <source>Hearth conversations</source>
        <translation>Hearth-Unterhaltungen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Web page (*.html)</source>
        <translation>Webseite (*.html)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hearth JSON, everything, can be imported again (*.json)</source>
        <translation>Hearth-JSON, alles, kann wieder importiert werden (*.json)</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+14"/>
        <source>Export conversations</source>
        <translation>Unterhaltungen exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Include the model&apos;s reasoning? (The answers are always included.)</source>
        <translation>Die Gedanken des Modells mit exportieren? (Die Antworten sind immer dabei.)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Exported to {path}.</source>
        <translation>Exportiert nach {path}.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Import conversations</source>
        <translation>Unterhaltungen importieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hearth or ChatGPT export (*.json *.zip);;All files (*)</source>
        <translation>Export aus Hearth oder ChatGPT (*.json *.zip);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>UndoLine</name>
    <message>
        <location filename="../../app/ui/sidebar.py" line="-48"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo the delete</source>
        <translation>Löschen rückgängig machen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Deleted “{title}”.</source>
        <translation>„{title}“ gelöscht.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <location filename="../../app/units.py" line="+30"/>
        <source>1 byte</source>
        <translation>1 Byte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} bytes</source>
        <translation>{count} Bytes</translation>
    </message>
</context>
<context>
    <name>UserMessageWidget</name>
    <message>
        <location filename="../../app/ui/user_message.py" line="+74"/>
        <source>Your message</source>
        <translation>Deine Nachricht</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy your message</source>
        <translation>Deine Nachricht kopieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+57"/>
        <source>Edit your message</source>
        <translation>Deine Nachricht bearbeiten</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>Change this message and get a new answer; the old one is kept</source>
        <translation>Diese Nachricht ändern und eine neue Antwort bekommen; die alte bleibt erhalten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Other versions of your message</source>
        <translation>Andere Fassungen deiner Nachricht</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep the message as it was ({keys})</source>
        <translation>Die Nachricht so lassen, wie sie war ({keys})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Send the new version ({keys})</source>
        <translation>Die neue Fassung senden ({keys})</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
</context>
<context>
    <name>VariantRow</name>
    <message>
        <location filename="../../app/ui/model_rows.py" line="-107"/>
        <source>{name} (recommended)</source>
        <translation>{name} (empfohlen)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>size unknown</source>
        <translation>Größe unbekannt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download size</source>
        <translation>Downloadgröße</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fits</source>
        <translation>Passt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tight</source>
        <translation>Knapp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Won&apos;t fit</source>
        <translation>Passt nicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How well it fits this computer</source>
        <translation>Wie gut es zu diesem Computer passt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download {name}</source>
        <translation>{name} herunterladen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download it once; it is checked when done and works without the internet afterwards</source>
        <translation>Einmal herunterladen: Danach wird das Modell geprüft und funktioniert ohne Internet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause the download of {name}</source>
        <translation>Download von {name} pausieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop for now; it goes on from here later, even after quitting</source>
        <translation>Vorerst anhalten; später geht es hier weiter, auch wenn du Hearth zwischendurch beendest</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume the download of {name}</source>
        <translation>Download von {name} fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go on from where the download stopped</source>
        <translation>Dort weitermachen, wo der Download aufgehört hat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel the download of {name}</source>
        <translation>Download von {name} abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop and delete what was downloaded so far</source>
        <translation>Anhalten und löschen, was bisher heruntergeladen wurde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download progress of {name}</source>
        <translation>Downloadfortschritt von {name}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download status</source>
        <translation>Downloadstatus</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{done} of {total}</source>
        <translation>{done} von {total}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{speed} MB/s</source>
        <translation>{speed} MB/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{minutes} min left</source>
        <translation>noch {minutes} Min.</translation>
    </message>
</context>
</TS>
