// The red round seal (도장) pressed in an approval box: the decider's name in a circle.
export function Stamp({ name, rejected = false, label }: { name: string; rejected?: boolean; label: string }) {
  const chars = [...name];
  const fontSize = chars.length <= 3 ? 15 : chars.length === 4 ? 12 : 10;
  return (
    <svg className={rejected ? "stamp stamp-rejected" : "stamp"} viewBox="0 0 64 64" width="56" height="56" role="img" aria-label={label}>
      <circle cx="32" cy="32" r="28" fill="none" stroke="currentColor" strokeWidth="3.5" />
      <circle cx="32" cy="32" r="23.5" fill="none" stroke="currentColor" strokeWidth="1.2" />
      <text x="32" y="33" textAnchor="middle" dominantBaseline="middle" fontSize={fontSize} fontWeight="700" fill="currentColor">
        {name}
      </text>
    </svg>
  );
}
