import { describe, expect, it } from 'vitest';
import { addToBasket, basketLabel, inBasket, removeFromBasket } from './basket';

const a = { uuid: 'a', nom: 'Épicerie solidaire' };
const b = { uuid: 'b', nom: 'Jardin partagé' };

describe('the sheet in preparation', () => {
  it('keeps the order the initiatives were added in, each once', () => {
    let basket = addToBasket([], a);
    basket = addToBasket(basket, b);
    basket = addToBasket(basket, { uuid: 'a', nom: 'autre nom' });
    expect(basket).toEqual([a, b]);
    expect(inBasket(basket, 'b')).toBe(true);
    expect(inBasket(basket, 'c')).toBe(false);
  });
  it('never changes the basket it is given', () => {
    const basket = [a];
    addToBasket(basket, b);
    removeFromBasket(basket, 'a');
    expect(basket).toEqual([a]);
  });
  it('removes one initiative, and nothing when it is not there', () => {
    expect(removeFromBasket([a, b], 'a')).toEqual([b]);
    expect(removeFromBasket([a, b], 'z')).toEqual([a, b]);
  });
  it('ignores a service without identifier', () => {
    expect(addToBasket([a], { uuid: '', nom: 'x' })).toEqual([a]);
  });
  it('says how many initiatives the sheet holds', () => {
    expect(basketLabel(0)).toBe('');
    expect(basketLabel(1)).toBe('Fiche en préparation : 1 initiative');
    expect(basketLabel(2)).toBe('Fiche en préparation : 2 initiatives');
  });
});
