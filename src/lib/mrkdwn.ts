// Trusted Slack mrkdwn, kept apart from plain text in the types (like Go's html/template): a
// `Mrkdwn` is text tzero composed itself, and the only thing a message block accepts. Anything
// else (step output, HTTP bodies, Sentry titles, command output, monitor errors, values of
// `${{ }}`) enters through `md` or `esc`, which escape `&`, `<` and `>`, so it can never mention
// anyone, post an @channel or break the message. tzero's own constructs are made by `user`,
// `channel` and `link` below, and stay live.

/** Slack mrkdwn tzero wrote. Created only by the functions of this module. */
export class Mrkdwn {
  readonly #text: string;
  private constructor(text: string) {
    this.#text = text;
  }
  /** @internal the one constructor; use md, esc, user, channel, link or trustStored. */
  static of(text: string): Mrkdwn {
    return new Mrkdwn(text);
  }
  get text(): string {
    return this.#text;
  }
  get length(): number {
    return this.#text.length;
  }
  toString(): string {
    return this.#text;
  }
  toJSON(): string {
    return this.#text;
  }
}

/** The three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Plain text as mrkdwn: shown exactly as given, nothing in it is live. */
export function esc(text: string | number): Mrkdwn {
  return Mrkdwn.of(escapeMrkdwn(String(text)));
}

/**
 * A template whose literal parts are trusted mrkdwn and whose values are plain text (escaped)
 * unless they are already Mrkdwn: md`*Error:* ${step.error}` can never ping anyone.
 */
export function md(strings: TemplateStringsArray, ...values: Array<Mrkdwn | string | number>): Mrkdwn {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += (v instanceof Mrkdwn ? v.text : escapeMrkdwn(String(v))) + strings[i + 1]!;
  });
  return Mrkdwn.of(out);
}

export function mdJoin(parts: readonly Mrkdwn[], separator = '\n'): Mrkdwn {
  return Mrkdwn.of(parts.map((p) => p.text).join(separator));
}

/** A user mention, only for a real user id; anything else is shown as text. */
export function user(id: string): Mrkdwn {
  return /^[UW][A-Z0-9]+$/.test(id) ? Mrkdwn.of(`<@${id}>`) : esc(id);
}

/** A channel link, only for a real channel id; anything else is shown as text. */
export function channel(id: string): Mrkdwn {
  return /^[CG][A-Z0-9]+$/.test(id) ? Mrkdwn.of(`<#${id}>`) : esc(id);
}

/** A link to an http(s) URL with a plain-text label; any other URL is shown as the label alone. */
export function link(url: string, label: string): Mrkdwn {
  if (!/^https?:\/\/[^\s<>|]+$/.test(url)) return esc(label);
  return Mrkdwn.of(`<${url.replace(/&/g, '&amp;')}|${escapeMrkdwn(label)}>`);
}

/**
 * Mrkdwn read back from tzero's own store (a notify text composed with `md` before it was queued).
 * The one door from a string back to Mrkdwn: nothing from outside may pass through it.
 */
export function trustStored(text: string): Mrkdwn {
  return Mrkdwn.of(text);
}

/** A time shown in each reader's own time zone (`<!date^…>`), UTC in the fallback. */
export function date(ms: number, format = '{date_short_pretty} {time}'): Mrkdwn {
  const iso = new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return Mrkdwn.of(`<!date^${Math.floor(ms / 1000)}^${format}|${iso} UTC>`);
}
