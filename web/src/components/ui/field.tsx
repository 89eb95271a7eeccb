import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

export interface FieldRenderProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  label: ReactNode;
  /** A message to show under the input (an API 422 names the field it belongs to). */
  error?: string | null;
  hint?: ReactNode;
  children: (props: FieldRenderProps) => ReactNode;
  className?: string;
}

/** A labelled form control with its hint and error, wired for screen readers. */
export function Field({ label, error, hint, children, className }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A labelled text input (a Field around an `input` of class "input"): `onChange` gets the new text; the other
 * input attributes (type, autoComplete, value, …) pass through.
 */
export function TextField({
  label,
  hint,
  error,
  onChange,
  ...input
}: Omit<FieldProps, 'children' | 'className'> & {
  onChange: (text: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'id' | 'className' | 'children'>) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(p) => <input {...p} {...input} className="input" onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/**
 * A labelled filter select: the empty choice first (`emptyLabel`, e.g. "All teams"), then each of `options` as its
 * own text. `onChange` gets the chosen value ("" for the empty choice).
 */
export function ChoiceField({
  label,
  value,
  onChange,
  emptyLabel,
  options,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  emptyLabel: string;
  options: readonly string[];
}) {
  return (
    <Field label={label}>
      {(p) => (
        <select {...p} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{emptyLabel}</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A group of controls (checkboxes, radios) with a legend and an error. */
export function FieldSet({
  legend,
  error,
  hint,
  children,
  className,
}: {
  legend: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const id = useId();
  return (
    <fieldset
      className={`fieldset${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}
      aria-describedby={error ? `${id}-error` : undefined}
      aria-invalid={error ? true : undefined}
    >
      <legend className="field__label">{legend}</legend>
      {hint && <p className="field__hint">{hint}</p>}
      {children}
      {error && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
