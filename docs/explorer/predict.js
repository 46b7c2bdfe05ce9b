// Prediction widgets: "predict before you run". The HTML comes from the prediction() directive
// (hooks/predictions.py): a form of radio buttons, a status line and a hidden compact explorer in
// sweep mode. The learner chooses an option and commits it; the guess is kept in localStorage
// (so it survives a reload and the reveal can show it), and committing reveals the explorer, which
// runs the model and shows the guess beside the result (explorer.js).
//
// Imported by explorer.js, so it runs on every page; it acts only on elements of class
// "tm-prediction".

const memory = new Map(); // where guesses go when the browser refuses localStorage
let storageWorks = true;

/** The committed guess stored under `key`: {option, label, committedAt}, or null. */
export function readGuess(key) {
  let text = null;
  try {
    text = window.localStorage.getItem(key);
  } catch {
    text = memory.get(key) ?? null;
  }
  if (text == null) text = memory.get(key) ?? null;
  try {
    const guess = text ? JSON.parse(text) : null;
    return guess && Number.isInteger(guess.option) ? guess : null;
  } catch {
    return null;
  }
}

function storeGuess(key, guess) {
  const text = JSON.stringify(guess);
  try {
    window.localStorage.setItem(key, text);
  } catch {
    storageWorks = false;
    memory.set(key, text);
  }
}

function wire(box) {
  const key = box.dataset.storageKey;
  const form = box.querySelector(".tm-predict-form");
  const status = box.querySelector(".tm-predict-status");
  const reveal = box.querySelector(".tm-explorer");
  if (!key || !form || !status) return;
  const radios = [...form.querySelectorAll('input[type="radio"]')];
  const labelOf = (radio) => radio.closest("label").textContent.trim();

  const show = (guess, changed) => {
    const saved = storageWorks ? "" : " (this browser does not let the page keep it after a reload)";
    status.textContent = `${changed ? "Guess changed" : "Your committed guess"}: ${guess.label}${saved}. ` +
      "Now run the model below to see what it says; you can change your guess, but decide before you look.";
    if (reveal) reveal.hidden = false;
  };

  status.textContent = "Choose an answer and commit it; the model run below opens once you have.";
  const stored = readGuess(key);
  if (stored && radios[stored.option]) {
    radios[stored.option].checked = true;
    show(stored, false);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = radios.find((r) => r.checked);
    if (!chosen) {
      status.textContent = "Choose one of the answers first, then commit it.";
      radios[0]?.focus();
      return;
    }
    const previous = readGuess(key);
    const guess = { option: Number(chosen.value), label: labelOf(chosen), committedAt: new Date().toISOString() };
    storeGuess(key, guess);
    show(guess, previous != null && previous.option !== guess.option);
    box.dispatchEvent(new CustomEvent("tm-prediction-commit", { bubbles: true, detail: { key, guess } }));
  });
}

function wireAll() {
  document.querySelectorAll(".tm-prediction:not(.tm-predict-ready)").forEach((box) => {
    box.classList.add("tm-predict-ready");
    wire(box);
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wireAll);
else wireAll();
