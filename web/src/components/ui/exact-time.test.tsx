// Issue 16 §6: exact times reachable without hovering (keyboard focus or a tap shows them).
import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { ExactTime, TimePhrase } from './exact-time';

const iso = new Date(Date.now() - 3 * 60_000).toISOString();

describe('exact time', () => {
  it('names both times, shows the exact one while focused, and toggles it on a click', async () => {
    render(<ExactTime iso={iso} />);
    const button = screen.getByRole('button');
    const relative = button.textContent ?? '';
    expect(relative).toMatch(/3 minutes ago/);
    const name = button.getAttribute('aria-label') ?? '';
    expect(name.startsWith(relative)).toBe(true);
    const exact = name.slice(relative.length + 2, -1); // "<relative> (<exact>)"
    expect(exact).not.toBe('');
    act(() => button.focus());
    expect(button).toHaveTextContent(exact);
    act(() => button.blur());
    expect(button).toHaveTextContent(relative);
    const user = userEvent.setup();
    await user.click(button); // a tap on the unfocused button shows it (the focus does not undo the click)
    expect(button).toHaveTextContent(exact);
    await user.click(button); // a second tap hides it
    expect(button).toHaveTextContent(relative);
    await user.keyboard('{Enter}'); // and the keyboard toggles it
    expect(button).toHaveTextContent(exact);
  });

  it('is a dash without a time (never a made-up one)', () => {
    render(<ExactTime iso={null} />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText('—')).toBeInTheDocument();
  });

  it('keeps the words of the phrase around the time, in either language', async () => {
    render(<TimePhrase phrase={(when) => i18n.t('quota.readAgo', { when })} iso={iso} />);
    expect(screen.getByRole('button').closest('span')).toHaveTextContent(/^read 3 minutes ago$/);
    await act(() => i18n.changeLanguage('zh'));
    const { container } = render(<TimePhrase phrase={(when) => i18n.t('quota.readAgo', { when })} iso={iso} />);
    expect(container.textContent).toMatch(/^读取于/);
    await act(() => i18n.changeLanguage('en'));
  });
});
