"""moto's SQS, made to receive and delete in time that does not grow with the queue's length
per message — the answers are unchanged.

moto 5.2.1, per ReceiveMessage on a queue of n messages, checks each message it hands out
against the retention period by calling get_queue_attributes(["MessageRetentionPeriod"]),
which builds the queue's whole attribute map three times, and each map counts the visible,
in-flight and delayed messages by reading the clock twice per message (utcnow() through
datetime, several microseconds a reading): about 100 n clock readings per call of 10.
Emptying a queue of 10,000 that way is ~10^9 Python steps (an hour); 1,000 took 33 s.
DeleteMessage walked the whole list twice per receipt handle.

install() replaces, with the same results:
  - the retention check: the queue's message_retention_period read directly;
  - Queue.messages and the approximate counts: one clock reading per call, the same
    comparisons (visible: now > visible_at; delayed: now < delayed_until);
  - Queue.delete_message: one walk to the first message that had the handle (received
    messages are near the front), removed in place.
"""

from moto.core.utils import unix_time, unix_time_millis
from moto.sqs.exceptions import ReceiptHandleIsInvalid
from moto.sqs.models import Queue, SQSBackend

_installed = False


def _messages(self):
    now = unix_time_millis()
    return [m for m in self._messages if now > m.visible_at and not now < m.delayed_until]


def _delayed(self):
    now = unix_time_millis()
    return sum(1 for m in self._messages if now < m.delayed_until)


def _not_visible(self):
    now = unix_time_millis()
    return sum(1 for m in self._messages if not now > m.visible_at)


def _delete_message(self, receipt_handle):
    if receipt_handle in self.deleted_messages:
        return  # already deleted: SQS accepts a second delete
    for i, message in enumerate(self._messages):
        if message.had_receipt_handle(receipt_handle):
            del self._messages[i]
            self.pending_messages.discard(message)
            self.deleted_messages.update(message.all_receipt_handles)
            return
    raise ReceiptHandleIsInvalid()


def _still_retained(self, queue_name, message):
    queue = self.get_queue(queue_name)
    return int(queue.message_retention_period) + message.sent_timestamp / 1000 > unix_time()


def install():
    global _installed
    if _installed:
        return
    _installed = True
    Queue.messages = property(_messages)
    Queue.approximate_number_of_messages_delayed = property(_delayed)
    Queue.approximate_number_of_messages_not_visible = property(_not_visible)
    Queue.delete_message = _delete_message
    SQSBackend.is_message_valid_based_on_retention_period = _still_retained
