import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import i18n from 'i18next';
import { ThrottleMarker, UsageBar, usageLevel, usedShare } from './usage-bar';

describe('usage level', () => {
  it('is red from 90 % used, amber from 75 %, green below', () => {
    expect(usageLevel(0.5)).toBe('ok');
    expect(usageLevel(0.749)).toBe('ok');
    expect(usageLevel(0.75)).toBe('warn');
    expect(usageLevel(0.899)).toBe('warn');
    expect(usageLevel(0.9)).toBe('high');
    expect(usageLevel(1.3)).toBe('high');
  });

  it('turns headroom into the used share, and unknown stays unknown', () => {
    expect(usedShare(0.25)).toBeCloseTo(0.75);
    expect(usedShare(-0.3)).toBeCloseTo(1.3);
    expect(usedShare(1)).toBe(0);
    expect(usedShare(null)).toBeNull();
    expect(usedShare(undefined)).toBeNull();
  });
});

describe('UsageBar', () => {
  it('says the used share in text, with the level and peak / p95 / quota in the title', () => {
    const { container } = render(
      <UsageBar label="TPM" headroom={0.08} peak={1_380_000} p95={1_000_000} quota={1_500_000} />,
    );
    const bar = container.querySelector('.usage-bar') as HTMLElement;
    expect(bar).toHaveTextContent('TPM');
    expect(bar).toHaveTextContent('92 % used');
    expect(bar.dataset.level).toBe('high');
    expect(bar).toHaveAttribute('title', 'peak 1,380,000 · p95 1,000,000 · quota 1,500,000');
    expect((bar.querySelector('.usage-bar__fill') as HTMLElement).style.width).toBe('92%');
  });

  it('takes its level from the percentage shown (89.6 % reads "90 % used" and is red)', () => {
    const { container } = render(<UsageBar label="TPM" headroom={0.104} />);
    const bar = container.querySelector('.usage-bar') as HTMLElement;
    expect(bar).toHaveTextContent('90 % used');
    expect(bar.dataset.level).toBe('high');
  });

  it('is amber from 75 % and green below', () => {
    const { container } = render(
      <>
        <UsageBar label="TPM" headroom={0.2} />
        <UsageBar label="RPM" headroom={0.9} />
      </>,
    );
    const [warn, ok] = container.querySelectorAll<HTMLElement>('.usage-bar');
    expect(warn.dataset.level).toBe('warn');
    expect(warn).toHaveTextContent('80 % used');
    expect(ok.dataset.level).toBe('ok');
    expect(ok).toHaveTextContent('10 % used');
    expect(ok).not.toHaveAttribute('title');
  });

  it('says "over quota" above 100 % and keeps the fill at the full width', () => {
    const { container } = render(<UsageBar label="RPM" headroom={-0.3} />);
    const bar = container.querySelector('.usage-bar') as HTMLElement;
    expect(bar).toHaveTextContent('over quota (130 %)');
    expect((bar.querySelector('.usage-bar__fill') as HTMLElement).style.width).toBe('100%');
  });

  it('says "no usage data" for an unknown headroom, never 0 %', () => {
    const { container } = render(<UsageBar label="TPM" headroom={null} peak={null} />);
    const bar = container.querySelector('.usage-bar') as HTMLElement;
    expect(bar).toHaveTextContent('no usage data');
    expect(bar).not.toHaveTextContent('%');
    expect(bar.querySelector('.usage-bar__fill')).toBeNull();
    expect(bar).toHaveAttribute('title', 'peak —');
  });

  it('speaks Chinese', async () => {
    await i18n.changeLanguage('zh');
    render(
      <>
        <UsageBar label="TPM" headroom={0.25} />
        <UsageBar label="RPM" headroom={-0.1} />
        <UsageBar label="TPM" headroom={null} />
      </>,
    );
    expect(screen.getByText('已用 75%')).toBeInTheDocument();
    expect(screen.getByText('超出配额（110%）')).toBeInTheDocument();
    expect(screen.getByText('无用量数据')).toBeInTheDocument();
  });
});

describe('ThrottleMarker', () => {
  it('marks throttles with an icon and text', () => {
    render(<ThrottleMarker throttles={12} />);
    expect(screen.getByTestId('throttle-marker')).toHaveTextContent('⚠ 12 throttled');
  });

  it('shows "—" when throttles are not reported, never 0', () => {
    const { container } = render(<ThrottleMarker throttles={null} />);
    expect(container).toHaveTextContent('throttles —');
    expect(container).not.toHaveTextContent('0');
    expect(container.querySelector('[title]')).toHaveAttribute('title', 'throttles not reported by CloudWatch');
  });

  it('says "no throttles" for a reported 0, or nothing with hideZero', () => {
    const { container, rerender } = render(<ThrottleMarker throttles={0} />);
    expect(container).toHaveTextContent('no throttles');
    rerender(<ThrottleMarker throttles={0} hideZero />);
    expect(container).toBeEmptyDOMElement();
  });

  it('speaks Chinese', async () => {
    await i18n.changeLanguage('zh');
    render(
      <>
        <ThrottleMarker throttles={3} />
        <ThrottleMarker throttles={null} />
      </>,
    );
    expect(screen.getByTestId('throttle-marker')).toHaveTextContent('⚠ 3 次限流');
    expect(screen.getByText(/^限流 —/)).toBeInTheDocument();
  });
});
