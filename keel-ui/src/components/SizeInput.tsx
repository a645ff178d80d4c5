import { FormSelect, FormSelectOption, InputGroup, InputGroupItem, TextInput } from '@patternfly/react-core';

export const SIZE_UNITS = [
  { suffix: 'M', label: 'MiB' },
  { suffix: 'G', label: 'GiB' },
  { suffix: 'T', label: 'TiB' },
];

export interface Size {
  amount: string;
  unit: string;
}

/** The API's size string, e.g. 10G; undefined unless the amount is a positive whole number. */
export function sizeString(size: Size): string | undefined {
  return /^[0-9]+$/.test(size.amount.trim()) && Number(size.amount) > 0 ? `${size.amount.trim()}${size.unit}` : undefined;
}

export function SizeInput({ id, value, onChange }: { id: string; value: Size; onChange(size: Size): void }) {
  return (
    <InputGroup>
      <InputGroupItem isFill>
        <TextInput
          id={id}
          type="number"
          min={1}
          value={value.amount}
          onChange={(_e, amount) => onChange({ ...value, amount })}
        />
      </InputGroupItem>
      <InputGroupItem>
        <FormSelect
          id={`${id}-unit`}
          aria-label="Size unit"
          value={value.unit}
          onChange={(_e, unit) => onChange({ ...value, unit })}
        >
          {SIZE_UNITS.map((u) => (
            <FormSelectOption key={u.suffix} value={u.suffix} label={u.label} />
          ))}
        </FormSelect>
      </InputGroupItem>
    </InputGroup>
  );
}
