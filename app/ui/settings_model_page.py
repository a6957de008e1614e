"""Settings, Model section: how the model is loaded (context, GPU, threads) and how every reply is made
(default reasoning effort, temperature, top-p, reply length)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.config import (
    CONTEXT_RANGE,
    GPU_LAYERS_MAX,
    MAX_TOKENS_RANGE,
    REASONING_EFFORTS,
    TEMPERATURE_RANGE,
    THREADS_RANGE,
    TOP_P_RANGE,
    ContextLength,
    Settings,
)
from app.engine import ModelInfo, default_threads, gpu_offload_available
from app.i18n import format_number
from app.ui.chat_helpers import note_label
from app.units import format_bytes

# The lengths offered; a value from settings.json that is none of these is offered too.
CONTEXT_CHOICES = (2048, 4096, 8192, 16384, 32768, 65536, 131072)


def _with_note(field: QWidget, note: QLabel) -> QWidget:
    """A form field with a line of explanation under it (a form row of its own would sit apart)."""
    box = QWidget(field.parentWidget())
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field, 0, Qt.AlignmentFlag.AlignLeft)
    column.addWidget(note)
    return box


class OptionalNumber(QWidget):
    """A number, or "use the model's default" (None): a check box beside a spin box."""

    def __init__(self, spin: QSpinBox | QDoubleSpinBox, default_text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.spin = spin
        spin.setParent(self)
        self.use_default = QCheckBox(default_text, self)
        self.use_default.toggled.connect(lambda on: spin.setEnabled(not on))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(spin)
        row.addWidget(self.use_default, 1)

    def set_tooltip(self, text: str) -> None:
        # On the spin box and the check box too: the pointer is over one of them, never this row.
        self.setToolTip(text)
        self.spin.setToolTip(text)
        self.use_default.setToolTip(text)

    def set_value(self, value: float | None, shown_default: float) -> None:
        self.use_default.setChecked(value is None)
        self.spin.setValue(shown_default if value is None else value)  # type: ignore[arg-type]
        self.spin.setEnabled(value is not None)

    def value(self) -> float | None:
        return None if self.use_default.isChecked() else self.spin.value()


class ModelPage(QWidget):
    def __init__(self, settings: Settings, model: ModelInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._auto_now = settings.n_ctx == "auto"  # the loaded model's context was chosen automatically
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._add_loading_rows(form, settings)
        self._add_reply_rows(form, settings)
        reload_note = note_label(
            self.tr("Changing the context length, GPU layers or threads reloads the model."), self
        )
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(reload_note)
        column.addStretch(1)

    def _add_loading_rows(self, form: QFormLayout, settings: Settings) -> None:
        self.context = QComboBox(self)
        self.context.setAccessibleName(self.tr("Context length"))
        self.context.setToolTip(
            self.tr(
                "How much text the model can keep in mind at once: the conversation and your documents. "
                "More needs more memory."
            )
        )
        self._fill_context(settings.n_ctx)
        self.context_note = note_label(self._context_note(), self)
        form.addRow(self.tr("Context length"), _with_note(self.context, self.context_note))

        self.gpu_layers = QSpinBox(self)
        self.gpu_layers.setRange(-1, GPU_LAYERS_MAX)
        self.gpu_layers.setSpecialValueText(self.tr("Auto"))
        self.gpu_layers.setAccessibleName(self.tr("GPU layers"))
        self.gpu_layers.setToolTip(
            self.tr("How much of the model runs on the graphics chip. Auto lets Hearth decide; 0 uses none.")
        )
        self.gpu_layers.setValue(-1 if settings.n_gpu_layers == "auto" else settings.n_gpu_layers)
        gpu_row: QWidget = self.gpu_layers
        if not gpu_offload_available():
            note = self.tr("This version of Hearth runs models on the processor only, so this has no effect.")
            gpu_row = _with_note(self.gpu_layers, note_label(note, self))
        form.addRow(self.tr("GPU layers"), gpu_row)

        self.threads = QSpinBox(self)
        self.threads.setRange(THREADS_RANGE[0] - 1, THREADS_RANGE[1])
        self.threads.setSpecialValueText(self.tr("Auto ({cores} cores)").format(cores=default_threads()))
        self.threads.setAccessibleName(self.tr("Processor threads"))
        self.threads.setToolTip(
            self.tr("How many processor cores work on each reply. Auto uses one per physical core.")
        )
        self.threads.setValue(settings.n_threads or 0)
        form.addRow(self.tr("Processor threads"), self.threads)

    def _add_reply_rows(self, form: QFormLayout, settings: Settings) -> None:
        self.effort = QComboBox(self)
        self.effort.setAccessibleName(self.tr("Default reasoning effort"))
        self.effort.setToolTip(
            self.tr("How long models that reason think before answering, in a new conversation")
        )
        for value, label in zip(
            REASONING_EFFORTS, (self.tr("Low"), self.tr("Medium"), self.tr("High")), strict=True
        ):
            self.effort.addItem(label, value)
        self.effort.setCurrentIndex(self.effort.findData(settings.reasoning_effort))
        form.addRow(self.tr("Default reasoning effort"), self.effort)

        sampling = self._model.sampling if self._model else None
        temperature = QDoubleSpinBox()
        temperature.setRange(*TEMPERATURE_RANGE)
        temperature.setSingleStep(0.1)
        temperature.setAccessibleName(self.tr("Temperature"))
        self.temperature = OptionalNumber(temperature, self.tr("Use the model's default"), self)
        self.temperature.set_tooltip(
            self.tr("Lower gives steadier, more predictable replies; higher gives more varied ones")
        )
        self.temperature.set_value(settings.temperature, sampling.temperature if sampling else 0.8)
        form.addRow(self.tr("Temperature"), self.temperature)

        top_p = QDoubleSpinBox()
        top_p.setRange(*TOP_P_RANGE)
        top_p.setSingleStep(0.05)
        top_p.setAccessibleName(self.tr("Top-p"))
        self.top_p = OptionalNumber(top_p, self.tr("Use the model's default"), self)
        self.top_p.set_tooltip(
            self.tr("The model picks its next word only among the likeliest ones that add up to this share")
        )
        self.top_p.set_value(settings.top_p, sampling.top_p if sampling else 0.95)
        form.addRow(self.tr("Top-p"), self.top_p)

        max_tokens = QSpinBox()
        max_tokens.setRange(*MAX_TOKENS_RANGE)
        max_tokens.setSingleStep(256)
        max_tokens.setSuffix(self.tr(" tokens"))
        max_tokens.setAccessibleName(self.tr("Maximum reply length"))
        self.max_tokens = OptionalNumber(max_tokens, self.tr("No limit"), self)
        self.max_tokens.set_tooltip(
            self.tr("Stops a reply after this many tokens (a token is about three quarters of a word)")
        )
        self.max_tokens.set_value(settings.max_tokens, 4096)
        form.addRow(self.tr("Maximum reply length"), self.max_tokens)

    def _fill_context(self, current: ContextLength) -> None:
        self.context.addItem(self._automatic_label(), "auto")
        choices = sorted({*CONTEXT_CHOICES, *([] if current == "auto" else [current])})
        for n_ctx in choices:
            self.context.addItem(self._context_label(n_ctx), n_ctx)
        self.context.setCurrentIndex(self.context.findData(current))

    def _automatic_label(self) -> str:
        model = self._model
        if model is None or not self._auto_now:
            return self.tr("Automatic: the longest that fits this computer")
        return self.tr("Automatic: now {count} tokens").format(count=format_number(model.n_ctx))

    def _context_label(self, n_ctx: int) -> str:
        tokens = self.tr("{count} tokens").format(count=format_number(n_ctx))
        model = self._model
        if model is None:
            return tokens
        if n_ctx > model.n_ctx_train:
            return self.tr("{tokens}: more than this model can use").format(tokens=tokens)
        needs = format_bytes(model.memory_at(n_ctx).total_bytes)
        return self.tr("{tokens}: about {memory} of memory with this model").format(
            tokens=tokens, memory=needs
        )

    def _context_note(self) -> str:
        if self._model is None:
            return self.tr("Load a model to see how much memory each length needs.")
        return self.tr("{name} can use up to {count} tokens.").format(
            name=self._model.name, count=format_number(self._model.n_ctx_train)
        )

    def apply_to(self, settings: Settings) -> Settings:
        chosen = self.context.currentData()
        low, high = CONTEXT_RANGE
        n_ctx: ContextLength = "auto" if chosen == "auto" else min(max(int(chosen), low), high)
        gpu = self.gpu_layers.value()
        temperature = self.temperature.value()
        top_p = self.top_p.value()
        max_tokens = self.max_tokens.value()
        return settings.replace(
            n_ctx=n_ctx,
            n_gpu_layers="auto" if gpu < 0 else gpu,
            n_threads=self.threads.value() or None,
            reasoning_effort=self.effort.currentData(),
            temperature=temperature,
            top_p=top_p,
            max_tokens=None if max_tokens is None else int(max_tokens),
        )
